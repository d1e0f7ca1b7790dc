using StbImageSharp;
using StbImageWriteSharp;

namespace VulkanAE.IO;

/// <summary>
/// PNG encoding through StbImageWriteSharp and image decoding through StbImageSharp: C# ports of
/// stb_image_write 1.16 and stb_image 2.30, which give the C libraries' bytes and pixels.
/// </summary>
internal static class Png
{
    // StbImageSharp keeps stb_image's failure reason in one static field (C keeps it per thread), and
    // successful decodes write it too (a JPEG is first tried as a PNG: "bad png sig"). Image folders
    // decode in parallel, so decodes share a read lock and a failed one is repeated under the write
    // lock, alone, where the reason it leaves is its own.
    private static readonly ReaderWriterLockSlim FailureReasonLock = new();

    /// <summary>Writes <paramref name="pixels"/> (HWC, 1 to 4 channels) as a PNG file, atomically (<see cref="RunFile"/>).</summary>
    public static void Write(string path, byte[] pixels, int width, int height, int channels) =>
        Write(path, new RasterImage(width, height, channels, pixels));

    public static void Write(string path, RasterImage image) => RunFile.WriteAllBytes(path, Encode(image));

    public static byte[] Encode(RasterImage image)
    {
        using var png = new MemoryStream();
        new ImageWriter().WritePng(image.Pixels, image.Width, image.Height, (StbImageWriteSharp.ColorComponents)image.Channels, png);
        return png.ToArray();
    }

    /// <exception cref="InvalidDataException">The file is not an image stb_image can decode.</exception>
    public static RasterImage Read(string path)
    {
        try
        {
            return Decode(File.ReadAllBytes(path));
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Decodes a PNG (or any format stb_image reads: JPEG, BMP...).</summary>
    /// <param name="desiredChannels">
    /// 0 keeps the file's channel count; 1 to 4 converts as stb_image does: gray from RGB is its integer luma
    /// (77 R + 150 G + 29 B) / 256, gray is copied to R, G and B, and alpha is dropped (not blended) or added opaque.
    /// </param>
    /// <exception cref="InvalidDataException">
    /// stb_image cannot decode the bytes (the message gives its reason), or they are a JPEG that ends before its
    /// end-of-image marker (stb_image 2.30 would return the part it read, the rest gray).
    /// </exception>
    public static RasterImage Decode(byte[] encoded, int desiredChannels = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(desiredChannels);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(desiredChannels, 4);
        var components = (StbImageSharp.ColorComponents)desiredChannels;
        ImageResult image = DecodeOrThrow(encoded, components);
        if (JpegMarkers.StartsJpeg(encoded) && !JpegMarkers.ReachesEndOfImage(encoded))
        {
            throw new InvalidDataException($"cannot decode image ({encoded.Length} bytes): truncated JPEG, the data ends before its end-of-image marker");
        }

        return new RasterImage(image.Width, image.Height, (int)image.Comp, image.Data);
    }

    private static ImageResult DecodeOrThrow(byte[] encoded, StbImageSharp.ColorComponents components)
    {
        FailureReasonLock.EnterReadLock();
        try
        {
            return ImageResult.FromStream(new StbMemoryStream(encoded), components);
        }
        catch (InvalidOperationException)
        {
            // The reason may be another thread's: decode again alone, below.
        }
        finally
        {
            FailureReasonLock.ExitReadLock();
        }

        FailureReasonLock.EnterWriteLock();
        try
        {
            return ImageResult.FromStream(new StbMemoryStream(encoded), components);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidDataException($"cannot decode image ({encoded.Length} bytes): {Readable(e.Message)}", e);
        }
        finally
        {
            FailureReasonLock.ExitWriteLock();
        }
    }

    // stb_image's only reason that names something from the file is "XXXX PNG chunk not known"; the port
    // keeps the chunk's name (zeros when the file is cut short) and pads it with NULs instead of the text.
    private static string Readable(string? reason)
    {
        int padding = reason?.IndexOf('\0') ?? -1;
        if (reason is null || padding < 0)
        {
            return string.IsNullOrEmpty(reason) ? "stb_image gives no reason" : reason;
        }

        string chunk = new(reason[..padding].Where(c => !char.IsControl(c)).ToArray());
        return chunk.Length == 0 ? "unknown PNG chunk" : $"unknown PNG chunk '{chunk}'";
    }
}
