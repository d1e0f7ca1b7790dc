using VulkanAE.Core;
using VulkanAE.Kernels.Anomaly;
using VulkanAE.Kernels.Data;
using VulkanAE.Models.Layers;

namespace VulkanAE.Training;

/// <summary>What `vae anomaly --score` compares between an image and its reconstruction.</summary>
internal enum AnomalyScoreKind
{
    /// <summary>Mean squared error per pixel: colour and brightness errors count as much as shape.</summary>
    Mse,

    /// <summary>1 - mean structural similarity (7x7 windows, on the GPU): local means, contrasts and correlations, so a feature added, removed or moved counts.</summary>
    Ssim,
}

/// <summary>
/// The anomaly score of each image and its error map (one value per pixel, channels averaged): the
/// squared error for <see cref="AnomalyScoreKind.Mse"/>, 1 - SSIM for <see cref="AnomalyScoreKind.Ssim"/>.
/// The score is the mean of the map.
/// </summary>
internal static class AnomalyScoring
{
    /// <summary>Images per SSIM dispatch, so a large folder's tensors stay far below a device's storage-buffer range.</summary>
    private const int ImagesPerChunk = 256;

    /// <param name="clean">The images, NCHW in the model's pixel range.</param>
    /// <param name="output">Their reconstructions, same layout.</param>
    /// <returns>Scores [count] and error maps [count, height, width].</returns>
    public static (float[] Scores, float[] Maps) Score(Gpu gpu, AnomalyScoreKind kind, TensorShape shape, PixelRange range, float[] clean, float[] output)
    {
        int features = shape.Size, pixels = shape.Height * shape.Width, count = clean.Length / features;
        var perChannel = kind switch
        {
            AnomalyScoreKind.Mse => clean.Zip(output, (a, b) => (a - b) * (a - b)).ToArray(),
            AnomalyScoreKind.Ssim => Dissimilarity(gpu, shape, range, clean, output),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
        var maps = new float[count * pixels];
        var scores = new float[count];
        for (int i = 0; i < count; i++)
        {
            double sum = 0;
            for (int p = 0; p < pixels; p++)
            {
                double pixel = 0;
                for (int c = 0; c < shape.Channels; c++) pixel += perChannel[i * features + c * pixels + p];
                maps[i * pixels + p] = (float)(pixel / shape.Channels);
                sum += pixel;
            }
            scores[i] = (float)(sum / features);
        }
        return (scores, maps);
    }

    /// <summary>1 - SSIM per pixel and channel, computed on the GPU in chunks of images.</summary>
    private static float[] Dissimilarity(Gpu gpu, TensorShape shape, PixelRange range, float[] clean, float[] output)
    {
        int features = shape.Size, count = clean.Length / features;
        float dataRange = range == PixelRange.Symmetric ? 2f : 1f;
        var result = new float[clean.Length];
        for (int first = 0; first < count; first += ImagesPerChunk)
        {
            int images = Math.Min(ImagesPerChunk, count - first);
            var span = new Range(first * features, (first + images) * features);
            using var x = gpu.CreateTensor("anomaly.images", clean[span]);
            using var y = gpu.CreateTensor("anomaly.reconstructions", output[span]);
            using var ssim = gpu.CreateTensor("anomaly.ssim", (long)images * features);
            gpu.Run(r => SsimKernels.SsimMap(r, x, y, ssim, images * shape.Channels, shape.Height, shape.Width, dataRange));
            var map = ssim.ToArray();
            for (int j = 0; j < map.Length; j++) result[first * features + j] = 1 - map[j];
        }
        return result;
    }
}
