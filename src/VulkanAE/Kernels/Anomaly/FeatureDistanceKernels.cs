using VulkanAE.Core;

namespace VulkanAE.Kernels.Anomaly;

/// <summary>The shapes of <see cref="FeatureDistanceKernels"/>: a fine layer [images, FineChannels, Height, Width] and a coarse one [images, CoarseChannels, CoarseHeight, CoarseWidth] (CoarseChannels 0: none).</summary>
internal readonly record struct HypercolumnShape(int FineChannels, int Height, int Width, int CoarseChannels, int CoarseHeight, int CoarseWidth)
{
    /// <summary>The length of one position's feature vector.</summary>
    public int Features => FineChannels + CoarseChannels;

    public int Positions => Height * Width;

    /// <summary>Feature k of image n at fine position p, in the shader's order: the fine channels, then the nearest coarse pixel's.</summary>
    public int Index(int n, int p, int k, out bool fine)
    {
        fine = k < FineChannels;
        if (fine) return (n * FineChannels + k) * Positions + p;
        int y = p / Width, x = p % Width;
        return (n * CoarseChannels + k - FineChannels) * CoarseHeight * CoarseWidth + y * CoarseHeight / Height * CoarseWidth + x * CoarseWidth / Width;
    }
}

/// <summary>
/// Mahalanobis distances of encoder features to per-position Gaussians (shaders/anomaly/feature_distance.comp): one
/// invocation per image and position, distances [images, positions].
/// </summary>
internal static class FeatureDistanceKernels
{
    private readonly record struct Push(uint Images, uint FineChannels, uint CoarseChannels, uint Height, uint Width, uint CoarseHeight, uint CoarseWidth);

    private static readonly KernelSignature<WorkgroupConstants> Signature
        = KernelSignature.Of<Push, WorkgroupConstants>("anomaly/feature_distance", Access.Read, Access.Read, Access.Read, Access.Read, Access.Write);

    /// <param name="coarse">The coarse layer; any tensor when the shape has no coarse channels.</param>
    /// <param name="mean">[positions, features].</param>
    /// <param name="whitening">[positions, features, features], lower triangular: the inverse Cholesky factor of each position's covariance.</param>
    public static void Distances(SequenceRecorder r, Tensor fine, Tensor coarse, Tensor mean, Tensor whitening, Tensor distances, int images, HypercolumnShape shape)
    {
        if (images <= 0 || shape.FineChannels <= 0 || shape.Height <= 0 || shape.Width <= 0 || shape.CoarseChannels < 0
            || (shape.CoarseChannels > 0 && (shape.CoarseHeight <= 0 || shape.CoarseWidth <= 0)))
            throw new ArgumentOutOfRangeException(nameof(shape), $"FeatureDistances: {images} images of {shape} must have positive sizes");
        long positions = (long)images * shape.Positions, d = shape.Features;
        if (positions * shape.FineChannels > uint.MaxValue || shape.Positions * d * d > uint.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(images), $"FeatureDistances: {images} images of {shape} are too many for 32-bit indices");
        Require(fine, positions * shape.FineChannels, "fine");
        Require(coarse, (long)images * shape.CoarseChannels * shape.CoarseHeight * shape.CoarseWidth, "coarse");
        Require(mean, shape.Positions * d, "mean");
        Require(whitening, shape.Positions * d * d, "whitening");
        Require(distances, positions, "distances");
        var kernel = r.Gpu.Kernel(Signature, new WorkgroupConstants(LinearDispatch.WorkgroupSize));
        double multiplyAdds = d * (d + 1) / 2.0;
        r.Dispatch(kernel, LinearDispatch.Groups(r.Gpu, positions),
            new Push((uint)images, (uint)shape.FineChannels, (uint)shape.CoarseChannels, (uint)shape.Height, (uint)shape.Width, (uint)shape.CoarseHeight, (uint)shape.CoarseWidth),
            new CommandWork(3 * multiplyAdds * positions, 4.0 * 3 * multiplyAdds * positions), fine, coarse, mean, whitening, distances);
    }

    private static void Require(Tensor tensor, long elements, string what)
    {
        if (tensor.Length < elements) throw new ArgumentException($"FeatureDistances: {what} {tensor} has {tensor.Length} elements, {elements} needed");
    }
}

/// <summary>CPU reference of <see cref="FeatureDistanceKernels"/>, in double precision.</summary>
internal static class FeatureDistanceReference
{
    public static float[] Distances(ReadOnlySpan<float> fine, ReadOnlySpan<float> coarse, ReadOnlySpan<float> mean, ReadOnlySpan<float> whitening, int images, HypercolumnShape shape)
    {
        int positions = shape.Positions, d = shape.Features;
        var distances = new float[images * positions];
        var centred = new double[d];
        for (int n = 0; n < images; n++)
        for (int p = 0; p < positions; p++)
        {
            for (int k = 0; k < d; k++)
            {
                int at = shape.Index(n, p, k, out bool isFine);
                centred[k] = (isFine ? fine[at] : coarse[at]) - (double)mean[p * d + k];
            }
            double total = 0;
            for (int j = 0; j < d; j++)
            {
                double s = 0;
                for (int k = 0; k <= j; k++) s += whitening[(p * d + j) * d + k] * centred[k];
                total += s * s;
            }
            distances[n * positions + p] = (float)total;
        }
        return distances;
    }
}
