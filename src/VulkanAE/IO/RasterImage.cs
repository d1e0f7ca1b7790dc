namespace VulkanAE.IO;

/// <summary>
/// An 8-bit image as PNG files store it: rows top to bottom, channels interleaved per pixel
/// (HWC; 1 = gray, 2 = gray+alpha, 3 = RGB, 4 = RGBA).
/// </summary>
internal sealed record RasterImage
{
    public RasterImage(int width, int height, int channels, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(channels, 4);
        if (pixels.LongLength != (long)width * height * channels)
        {
            throw new ArgumentException($"{pixels.LongLength} bytes for a {width}x{height} image of {channels} channels, expected {(long)width * height * channels}", nameof(pixels));
        }

        Width = width;
        Height = height;
        Channels = channels;
        Pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    public int Channels { get; }

    /// <summary>Height x Width x Channels bytes.</summary>
    public byte[] Pixels { get; }
}
