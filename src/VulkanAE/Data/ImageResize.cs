using VulkanAE.IO;

namespace VulkanAE.Data;

/// <summary>
/// Brings an image to the square size a model takes: a centre crop to a square (the longer side loses
/// equal margins, the odd pixel on the right or bottom), then area averaging, in integers so the result
/// is exact and the same on every machine.
/// </summary>
/// <remarks>
/// Area averaging gives each target pixel the mean of the source area it covers, source pixels cut by
/// its border counting by the fraction inside: the right filter for shrinking photos to 32 or 64
/// pixels (no aliasing). Enlarging replicates pixels, blending only where a target pixel straddles two
/// source pixels: it invents no detail.
/// </remarks>
internal static class ImageResize
{
    /// <summary>A <paramref name="size"/> x <paramref name="size"/> image with the channels of <paramref name="source"/>.</summary>
    public static RasterImage CropAndResize(RasterImage source, int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        int side = Math.Min(source.Width, source.Height);
        int left = (source.Width - side) / 2;
        int top = (source.Height - side) / 2;
        var footprints = Footprints(side, size);
        int channels = source.Channels;

        // Units: source pixel j spans [j * size, (j + 1) * size) and target pixel i spans [i * side, (i + 1) * side)
        // on the same integer axis, so overlaps are integers and each target pixel's weights sum to side.
        var rowSums = new long[side * size * channels];
        for (int y = 0; y < side; y++)
        {
            int sourceRow = ((top + y) * source.Width + left) * channels;
            for (int x = 0; x < size; x++)
            {
                foreach (var (sourceX, overlap) in footprints[x])
                {
                    for (int c = 0; c < channels; c++)
                    {
                        rowSums[(y * size + x) * channels + c] += overlap * source.Pixels[sourceRow + sourceX * channels + c];
                    }
                }
            }
        }

        long area = (long)side * side;
        var pixels = new byte[size * size * channels];
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                for (int c = 0; c < channels; c++)
                {
                    long sum = 0;
                    foreach (var (sourceY, overlap) in footprints[y])
                    {
                        sum += overlap * rowSums[(sourceY * size + x) * channels + c];
                    }

                    // Round half up: the mean is in [0, 255], so the result is a byte.
                    pixels[(y * size + x) * channels + c] = (byte)((sum + area / 2) / area);
                }
            }
        }

        return new RasterImage(size, size, channels, pixels);
    }

    /// <summary>For each target pixel, the source pixels it covers and by how much (in the units above).</summary>
    private static (int Source, long Overlap)[][] Footprints(int sourceLength, int targetLength)
    {
        var footprints = new (int, long)[targetLength][];
        for (int i = 0; i < targetLength; i++)
        {
            long start = (long)i * sourceLength;
            long end = start + sourceLength;
            int first = (int)(start / targetLength);
            int last = (int)((end - 1) / targetLength);
            footprints[i] = new (int, long)[last - first + 1];
            for (int j = first; j <= last; j++)
            {
                long overlap = Math.Min(end, (long)(j + 1) * targetLength) - Math.Max(start, (long)j * targetLength);
                footprints[i][j - first] = (j, overlap);
            }
        }

        return footprints;
    }
}
