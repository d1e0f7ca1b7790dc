namespace VulkanAE.IO;

/// <summary>
/// Whether a JPEG is complete. stb_image 2.27 refused a JPEG that ends before its end-of-image marker;
/// 2.30 (StbImageSharp) returns what it decoded, the missing rows gray, so a half-copied file would train
/// as an image. This walk over the marker segments restores the refusal; the decoder does everything else.
/// </summary>
internal static class JpegMarkers
{
    private const byte Prefix = 0xFF, StartOfImage = 0xD8, EndOfImage = 0xD9;

    public static bool StartsJpeg(ReadOnlySpan<byte> encoded) =>
        encoded.Length >= 2 && encoded[0] == Prefix && encoded[1] == StartOfImage;

    /// <summary>
    /// True when an end-of-image marker (FF D9) follows the segments and entropy-coded data. Segments are
    /// skipped by their lengths, so an EXIF thumbnail's own end marker does not count.
    /// </summary>
    public static bool ReachesEndOfImage(ReadOnlySpan<byte> jpeg)
    {
        int position = 2;
        while (position + 1 < jpeg.Length)
        {
            byte marker = jpeg[position + 1];
            if (jpeg[position] != Prefix || marker == Prefix)
            {
                position++; // entropy-coded data, or fill bytes before a marker
                continue;
            }

            if (marker == EndOfImage)
            {
                return true;
            }

            // FF 00 is a stuffed data byte; TEM (01), RST0-7 (D0-D7) and SOI stand alone; every other marker has a length.
            bool standalone = marker is 0x00 or 0x01 or >= 0xD0 and <= StartOfImage;
            if (standalone)
            {
                position += 2;
                continue;
            }

            if (position + 3 >= jpeg.Length)
            {
                return false;
            }

            position += 2 + (jpeg[position + 2] << 8 | jpeg[position + 3]);
        }

        return false;
    }
}
