using VulkanAE.IO;

namespace VulkanAE.Data;

/// <summary>The mean of every image of some sets, pixel by pixel: what `vae dataset info` shows of a data set.</summary>
internal static class MeanImage
{
    /// <summary>
    /// The rounded per-pixel mean of all images of <paramref name="sets"/> (same shape), as an HWC
    /// image; black when they hold no image.
    /// </summary>
    public static RasterImage Of(params ImageDataset[] sets)
    {
        var first = sets[0];
        int planeSize = first.Height * first.Width;
        var sums = new long[first.ImageSize];
        long count = 0;
        foreach (var set in sets)
        {
            if (set.ImageSize != first.ImageSize)
                throw new ArgumentException($"{set.Name} has {set.Channels}x{set.Height}x{set.Width} images; {first.Name} {first.Channels}x{first.Height}x{first.Width}");
            var pixels = set.Pixels.Span;
            for (int image = 0; image < set.Count; image++)
            {
                var chw = pixels.Slice(image * set.ImageSize, set.ImageSize);
                for (int i = 0; i < chw.Length; i++) sums[i] += chw[i];
            }
            count += set.Count;
        }

        var hwc = new byte[first.ImageSize];
        for (int c = 0; c < first.Channels; c++)
        {
            for (int p = 0; p < planeSize; p++)
            {
                long sum = sums[c * planeSize + p];
                hwc[p * first.Channels + c] = count == 0 ? (byte)0 : (byte)((sum + count / 2) / count);
            }
        }
        return new RasterImage(first.Width, first.Height, first.Channels, hwc);
    }
}
