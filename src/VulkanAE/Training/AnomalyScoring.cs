using VulkanAE.Core;
using VulkanAE.Kernels.Anomaly;
using VulkanAE.Kernels.Data;
using VulkanAE.Models.Layers;

namespace VulkanAE.Training;

/// <summary>What `vae anomaly --score` compares between an image and its reconstruction, pixel by pixel.</summary>
internal enum AnomalyScoreKind
{
    /// <summary>The squared error: colour and brightness errors count as much as shape.</summary>
    Mse,

    /// <summary>1 - structural similarity (7x7 windows): local means, contrasts and correlations, so a feature added, removed or moved counts.</summary>
    Ssim,

    /// <summary>The squared error of the steps to the next pixel right and below: edges made or lost, not an even shift of colour.</summary>
    Gradient,

    /// <summary>
    /// Not a comparison with the reconstruction: the Mahalanobis distance of the encoder's features at each position to
    /// normal images' features there (<see cref="FeatureDensity"/>), so a feature added, moved or reshaped counts even where it is reconstructed well.
    /// A CutPaste classifier's convolutions are an encoder too: the density of their features is what Li et al. score with.
    /// </summary>
    Density,

    /// <summary>
    /// A CutPaste classifier's logit (<see cref="Models.TrainingObjective.CutPaste"/>): how sure it is that a patch of the image
    /// does not belong where it is. One number per image, no map.
    /// </summary>
    Logit,
}

/// <summary>How `vae anomaly --pool` turns an image's error map into its score.</summary>
internal enum ErrorPooling
{
    /// <summary>The mean over every pixel: a defect of a few pixels is averaged away by the rest of the face.</summary>
    Mean,

    /// <summary>The largest mean over a square window: where the error is, not how much there is overall.</summary>
    MaxLocal,

    /// <summary>The mean of the worst pixels (a share of the image).</summary>
    Top,

    /// <summary>The largest value: the worst pixel or position.</summary>
    Max,
}

/// <summary>An anomaly score: the error map of <paramref name="Kind"/>, pooled by <paramref name="Pooling"/> over a <paramref name="Window"/>-wide square (max-local) or the worst <paramref name="TopPercent"/> of pixels (top).</summary>
internal sealed record ScoreRecipe(AnomalyScoreKind Kind = AnomalyScoreKind.Mse, ErrorPooling Pooling = ErrorPooling.Mean, int Window = ScoreRecipe.DefaultWindow,
    double TopPercent = ScoreRecipe.DefaultTopPercent)
{
    // Chosen on the tuned kinds of `vae dataset synth-faces` (extra-eye, no-mouth, square-head, noise) with
    // face-conv-dense-ae at 64x64: windows 5, 7, 11, 15 and the worst 1% or 5%; the widest and the larger share won.
    public const int DefaultWindow = 15;
    public const double DefaultTopPercent = 5;

    public static readonly string[] KindNames = ["mse", "ssim", "gradient", "density", "logit"];
    public static readonly string[] PoolingNames = ["mean", "max-local", "top", "max"];

    /// <summary>
    /// The pooling of a score when none is asked for: the mean for an error map; the largest distance for density, which
    /// beat the mean and the mean of the worst 3 or 8 positions on the tuned kinds (mean ROC AUC over the four, in PyTorch:
    /// .82 against .72, .81 and .80 for face-conv-dense-ae's 16x16 block; .81 against .74, .81 and .79 for its 8x8 block).
    /// </summary>
    public static ErrorPooling DefaultPooling(AnomalyScoreKind kind) => kind == AnomalyScoreKind.Density ? ErrorPooling.Max : ErrorPooling.Mean;

    public static AnomalyScoreKind ParseKind(string name) => Array.IndexOf(KindNames, name) is var i and >= 0 ? (AnomalyScoreKind)i
        : throw new ArgumentException($"--score {name}: choose one of {string.Join(", ", KindNames)}");

    public static ErrorPooling ParsePooling(string name) => Array.IndexOf(PoolingNames, name) is var i and >= 0 ? (ErrorPooling)i
        : throw new ArgumentException($"--pool {name}: choose one of {string.Join(", ", PoolingNames)}");

    /// <summary>The score's name as the command line spells it: "mse", "gradient max-local 7", "ssim top 1%".</summary>
    public string Name => Kind == AnomalyScoreKind.Logit ? KindNames[(int)Kind] : Pooling switch
    {
        ErrorPooling.Mean => KindNames[(int)Kind],
        ErrorPooling.MaxLocal => $"{KindNames[(int)Kind]} max-local {Window}",
        ErrorPooling.Max => $"{KindNames[(int)Kind]} max",
        _ => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{KindNames[(int)Kind]} top {TopPercent:G4}%"),
    };

    /// <summary>This recipe, or an error naming the option to fix.</summary>
    public ScoreRecipe Checked()
    {
        if (Window < 1 || Window % 2 == 0) throw new ArgumentException($"--window {Window}: the square around a pixel is an odd number of pixels wide, 1 or more");
        if (!(TopPercent > 0 && TopPercent <= 100))
            throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"--top-percent {TopPercent}: a share of the pixels, above 0 and at most 100"));
        return this;
    }

    /// <summary>How many of an image's <paramref name="pixels"/> the top pooling averages: at least one.</summary>
    public int TopCount(int pixels) => Math.Clamp((int)Math.Ceiling(TopPercent / 100 * pixels), 1, pixels);
}

/// <summary>
/// The anomaly score of each image and its error map (one value per pixel, channels averaged), on the GPU: the map of
/// <see cref="ScoreRecipe.Kind"/> (shaders/anomaly/error_map.comp, ssim_map.comp), then its mean, the largest mean
/// over a window (box_mean.comp) or the mean of its worst pixels (top_mean.comp).
/// </summary>
internal static class AnomalyScoring
{
    /// <summary>Images per chunk, so a large folder's tensors stay far below a device's storage-buffer range.</summary>
    private const int ImagesPerChunk = 256;

    /// <param name="clean">The images, NCHW in the model's pixel range.</param>
    /// <param name="output">Their reconstructions, same layout.</param>
    /// <returns>Scores [count] and error maps [count, height, width].</returns>
    public static (float[] Scores, float[] Maps) Score(Gpu gpu, ScoreRecipe recipe, TensorShape shape, PixelRange range, float[] clean, float[] output)
    {
        int features = shape.Size, pixels = shape.Height * shape.Width, count = clean.Length / features;
        var maps = new float[count * pixels];
        var scores = new float[count];
        for (int first = 0; first < count; first += ImagesPerChunk)
        {
            int images = Math.Min(ImagesPerChunk, count - first);
            var span = new Range(first * features, (first + images) * features);
            using var x = gpu.CreateTensor("anomaly.images", clean[span]);
            using var y = gpu.CreateTensor("anomaly.reconstructions", output[span]);
            using var map = recipe.Kind == AnomalyScoreKind.Ssim
                ? gpu.CreateTensor("anomaly.map", Dissimilarity(gpu, shape, range, x, y, images))
                : gpu.CreateTensor("anomaly.map", (long)images * pixels);
            using var smoothed = gpu.CreateTensor("anomaly.smoothed", recipe.Pooling == ErrorPooling.MaxLocal ? (long)images * pixels : 1);
            using var chunkScores = gpu.CreateTensor("anomaly.scores", images);
            gpu.Run(r =>
            {
                if (recipe.Kind != AnomalyScoreKind.Ssim)
                {
                    var measure = recipe.Kind == AnomalyScoreKind.Gradient ? PixelError.Gradient : PixelError.Squared;
                    ErrorMapKernels.ErrorMap(r, x, y, map, measure, images, shape.Channels, shape.Height, shape.Width);
                }
                RecordPooling(r, recipe, map, smoothed, chunkScores, images, shape.Height, shape.Width);
            });
            map.ToArray().CopyTo(maps, first * pixels);
            chunkScores.ToArray().CopyTo(scores, first);
        }
        return (scores, maps);
    }

    /// <summary>scores [images] = each map [images, height, width] pooled by <paramref name="recipe"/>; smoothed holds max-local's box means.</summary>
    public static void RecordPooling(SequenceRecorder r, ScoreRecipe recipe, Tensor map, Tensor smoothed, Tensor scores, int images, int height, int width)
    {
        int pixels = height * width;
        switch (recipe.Pooling)
        {
            case ErrorPooling.Mean:
                TopMeanKernels.TopMean(r, map, scores, images, pixels, pixels);
                break;
            case ErrorPooling.MaxLocal:
                ErrorMapKernels.BoxMean(r, map, smoothed, images, height, width, recipe.Window / 2);
                TopMeanKernels.TopMean(r, smoothed, scores, images, pixels, 1);
                break;
            case ErrorPooling.Max:
                TopMeanKernels.TopMean(r, map, scores, images, pixels, 1);
                break;
            default:
                TopMeanKernels.TopMean(r, map, scores, images, pixels, recipe.TopCount(pixels));
                break;
        }
    }

    /// <summary>1 - SSIM per pixel, averaged over channels: the SSIM map on the GPU, the channels averaged here.</summary>
    private static float[] Dissimilarity(Gpu gpu, TensorShape shape, PixelRange range, Tensor x, Tensor y, int images)
    {
        int pixels = shape.Height * shape.Width, channels = shape.Channels;
        float dataRange = range == PixelRange.Symmetric ? 2f : 1f;
        using var ssim = gpu.CreateTensor("anomaly.ssim", (long)images * channels * pixels);
        gpu.Run(r => SsimKernels.SsimMap(r, x, y, ssim, images * channels, shape.Height, shape.Width, dataRange));
        var similarity = ssim.ToArray();
        var map = new float[images * pixels];
        for (int i = 0; i < images; i++)
        for (int p = 0; p < pixels; p++)
        {
            double sum = 0;
            for (int c = 0; c < channels; c++) sum += 1 - similarity[(i * channels + c) * pixels + p];
            map[i * pixels + p] = (float)(sum / channels);
        }
        return map;
    }
}
