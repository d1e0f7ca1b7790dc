using VulkanAE.Analysis;
using VulkanAE.Core;
using VulkanAE.Kernels.Anomaly;
using VulkanAE.Models;

namespace VulkanAE.Training;

/// <summary>The encoder outputs <see cref="FeatureDensity"/> reads: a fine layer and, when the encoder has one, a coarser one.</summary>
/// <param name="Description">Which layers, for the user: "encoder layers 4 (24x16x16) and 6 (48x8x8)".</param>
internal sealed record FeatureLayers(Tensor Fine, Tensor Coarse, HypercolumnShape Shape, string Description)
{
    /// <summary>
    /// The outputs of the encoder's last two spatial blocks (the last layer at each of the two smallest sizes above 1x1:
    /// after their activations), or of its last one; an encoder without spatial layers gives its code, one position.
    /// Chosen in PyTorch on the tuned kinds with face-conv-dense-ae (mean ROC AUC over the four): its 24x16x16 and 48x8x8 blocks
    /// together .86, each alone .82 and .81, the 12x32x32 block .79-.80, the code .53-.69; all three blocks .87, not worth a third input.
    /// </summary>
    public static FeatureLayers Choose(Autoencoder model)
    {
        var layers = model.Encoder.Layers;
        var blocks = Enumerable.Range(0, layers.Count)
            .Where(i => layers[i].OutputShape.Height * layers[i].OutputShape.Width > 1 && (i + 1 == layers.Count || layers[i + 1].OutputShape != layers[i].OutputShape))
            .ToArray();
        if (blocks.Length == 0)
            return new FeatureLayers(model.LatentPosition, model.LatentPosition, new HypercolumnShape(model.CodeSize, 1, 1, 0, 0, 0), $"the code ({model.CodeSize} numbers)");
        var fine = layers[blocks[^Math.Min(2, blocks.Length)]];
        string Named(int i) => $"{i + 1} ({layers[i].OutputShape})";
        if (blocks.Length == 1)
            return new FeatureLayers(fine.Output, fine.Output, new HypercolumnShape(fine.OutputShape.Channels, fine.OutputShape.Height, fine.OutputShape.Width, 0, 0, 0),
                $"encoder layer {Named(blocks[0])}");
        var coarse = layers[blocks[^1]];
        return new FeatureLayers(fine.Output, coarse.Output, new HypercolumnShape(fine.OutputShape.Channels, fine.OutputShape.Height, fine.OutputShape.Width,
            coarse.OutputShape.Channels, coarse.OutputShape.Height, coarse.OutputShape.Width), $"encoder layers {Named(blocks[^2])} and {Named(blocks[^1])}");
    }
}

/// <summary>
/// `vae anomaly --score density`: how unusual an image's encoder features are for normal images, position by position
/// (PaDiM, Defard et al. 2020). A Gaussian per position is fitted to the features of normal images (<see cref="PositionGaussians"/>);
/// an image's map is the Mahalanobis distance of its features at each position (shaders/anomaly/feature_distance.comp).
/// An autoencoder that has learnt to draw faces reconstructs a square head or an eye on the cheek well enough to hide
/// it in the error; the features there are still unlike normal faces'. A feature removed is not found (measured: no-mouth
/// at chance): plain skin is normal at any one position, since normal mouths sit higher or lower.
/// </summary>
internal sealed class FeatureDensity : IDisposable
{
    private readonly Gpu _gpu;
    private readonly Tensor _mean, _whitening;

    private FeatureDensity(Gpu gpu, FeatureLayers layers, float[] mean, float[] whitening, int normalImages)
    {
        _gpu = gpu;
        Layers = layers;
        NormalImages = normalImages;
        _mean = gpu.CreateTensor("density.mean", mean);
        _whitening = gpu.CreateTensor("density.whitening", whitening);
    }

    public FeatureLayers Layers { get; }

    /// <summary>How many normal images the Gaussians were fitted on.</summary>
    public int NormalImages { get; }

    /// <summary>Gaussians of the features of <paramref name="normal"/>, read from the GPU chunk by chunk.</summary>
    public static FeatureDensity Fit(Gpu gpu, AutoencoderInference inference, DeviceDataset normal, double shrinkage = PositionGaussians.DefaultShrinkage)
    {
        if (normal.Count == 0) throw new ArgumentException($"{normal.Source.Name}: no normal images to fit the feature density on");
        var layers = FeatureLayers.Choose(inference.Model);
        var shape = layers.Shape;
        var gaussians = new PositionGaussians(shape.Positions, shape.Features);
        int rowsPerChunk = inference.Model.MaxRows;
        var fine = new float[rowsPerChunk * shape.FineChannels * shape.Positions];
        var coarse = new float[rowsPerChunk * shape.CoarseChannels * shape.CoarseHeight * shape.CoarseWidth];
        var vectors = new double[shape.Positions * shape.Features];
        inference.Encode(normal, (_, _) => { }, (_, rows) =>
        {
            layers.Fine.Download<float>(fine.AsSpan(0, rows * shape.FineChannels * shape.Positions));
            if (shape.CoarseChannels > 0) layers.Coarse.Download<float>(coarse.AsSpan(0, rows * shape.CoarseChannels * shape.CoarseHeight * shape.CoarseWidth));
            for (int n = 0; n < rows; n++)
            {
                for (int p = 0; p < shape.Positions; p++)
                for (int k = 0; k < shape.Features; k++)
                {
                    int at = shape.Index(n, p, k, out bool isFine);
                    vectors[p * shape.Features + k] = isFine ? fine[at] : coarse[at];
                }
                gaussians.Add(vectors);
            }
        });
        var (mean, whitening) = gaussians.Fit(shrinkage);
        return new FeatureDensity(gpu, layers, mean, whitening, normal.Count);
    }

    /// <summary>Each image's score: its distance map [images, height, width] of the fine layer, pooled by <paramref name="recipe"/>.</summary>
    public float[] Scores(AutoencoderInference inference, DeviceDataset images, ScoreRecipe recipe)
    {
        var shape = Layers.Shape;
        int rowsPerChunk = inference.Model.MaxRows;
        var scores = new float[images.Count];
        using var distances = _gpu.CreateTensor("density.distances", (long)rowsPerChunk * shape.Positions);
        using var smoothed = _gpu.CreateTensor("density.smoothed", recipe.Pooling == ErrorPooling.MaxLocal ? (long)rowsPerChunk * shape.Positions : 1);
        using var chunkScores = _gpu.CreateTensor("density.scores", rowsPerChunk);
        inference.Encode(images, (r, rows) =>
        {
            FeatureDistanceKernels.Distances(r, Layers.Fine, Layers.Coarse, _mean, _whitening, distances, rows, shape);
            AnomalyScoring.RecordPooling(r, recipe, distances, smoothed, chunkScores, rows, shape.Height, shape.Width);
        }, (first, rows) => chunkScores.Download<float>(scores.AsSpan(first, rows)));
        return scores;
    }

    public void Dispose()
    {
        _mean.Dispose();
        _whitening.Dispose();
    }
}
