namespace VulkanAE.IO;

/// <summary>
/// Lays out many small float images as one picture, e.g. test images above their reconstructions
/// (2 rows x 12 columns) or a decoded sweep of a 2-D latent space.
/// </summary>
internal static class ImageGrid
{
    /// <summary>Gray level between cells: visible against both black and white backgrounds.</summary>
    public const byte SeparatorGray = 128;

    public const int SeparatorPixels = 2;

    /// <summary>
    /// Places <paramref name="count"/> images left to right, then top to bottom, in rows of
    /// <paramref name="columns"/>, with a <see cref="SeparatorPixels"/>-wide gray gap between cells and
    /// around the border. Cells left over in the last row stay gray.
    /// </summary>
    /// <param name="images">count x channels x height x width floats (NCHW), 0 = black, 1 = white; clamped, NaN shown black.</param>
    /// <param name="channels">1 (gray) or 3 (RGB).</param>
    /// <param name="scale">Integer upscaling of each image (nearest neighbour), so 28x28 digits stay readable.</param>
    public static RasterImage Compose(ReadOnlySpan<float> images, int count, int channels, int height, int width, int columns, int scale = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        if (channels is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "an image grid takes gray (1) or RGB (3) images");
        }

        int imageSize = channels * height * width;
        if (images.Length != count * imageSize)
        {
            throw new ArgumentException($"{images.Length} floats for {count} images of {channels}x{height}x{width}, expected {count * imageSize}", nameof(images));
        }

        int rows = (count + columns - 1) / columns;
        int cellWidth = width * scale;
        int cellHeight = height * scale;
        int gridWidth = columns * (cellWidth + SeparatorPixels) + SeparatorPixels;
        int gridHeight = rows * (cellHeight + SeparatorPixels) + SeparatorPixels;
        var pixels = new byte[gridWidth * gridHeight * channels];
        Array.Fill(pixels, SeparatorGray);

        for (int index = 0; index < count; index++)
        {
            int left = SeparatorPixels + index % columns * (cellWidth + SeparatorPixels);
            int top = SeparatorPixels + index / columns * (cellHeight + SeparatorPixels);
            ReadOnlySpan<float> image = images.Slice(index * imageSize, imageSize);
            for (int y = 0; y < cellHeight; y++)
            {
                for (int x = 0; x < cellWidth; x++)
                {
                    int target = ((top + y) * gridWidth + left + x) * channels;
                    int source = y / scale * width + x / scale;
                    for (int c = 0; c < channels; c++)
                    {
                        // CHW source to interleaved HWC target, as PNG stores pixels.
                        pixels[target + c] = ToByte(image[c * height * width + source]);
                    }
                }
            }
        }

        return new RasterImage(gridWidth, gridHeight, channels, pixels);
    }

    private static byte ToByte(float value) =>
        float.IsNaN(value) ? (byte)0 : (byte)MathF.Round(Math.Clamp(value, 0f, 1f) * 255f);
}
