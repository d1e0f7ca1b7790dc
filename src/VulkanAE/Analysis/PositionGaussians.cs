using MathNet.Numerics.LinearAlgebra;

namespace VulkanAE.Analysis;

/// <summary>
/// One Gaussian per position of a feature map, fitted on the host in double from the feature vectors of normal images:
/// the mean, and the covariance with <see cref="Fit"/>'s shrinkage added to its diagonal (fewer images than features
/// leave it singular; a dimension no normal image varies in would make any change there infinitely unusual). What the
/// GPU needs per position is the mean and the whitening W = L^-1 for the covariance's Cholesky factor L, so that
/// |W (v - mean)|^2 is v's squared Mahalanobis distance (MathNet's Cholesky; a d x d matrix per position is small).
/// </summary>
internal sealed class PositionGaussians(int positions, int features)
{
    /// <summary>
    /// The shrinkage: this share of the mean variance (trace / d) added to every variance. Chosen on the tuned kinds of
    /// `vae dataset synth-faces` in PyTorch with face-conv-dense-ae (mean ROC AUC over the four: 0.01 .82 against 0.1 .77 for
    /// its 16x16 block, .81 against .79 for its 8x8 block; 0.003 .865 against .861 for both together), as PaDiM adds 0.01 I.
    /// </summary>
    public const double DefaultShrinkage = 0.01;

    private readonly double[] _sums = new double[positions * features];
    private readonly double[] _products = new double[positions * features * features];

    public int Positions => positions;
    public int Features => features;

    /// <summary>How many vectors each position has been given.</summary>
    public int Count { get; private set; }

    /// <summary>One image's feature vectors, [positions, features]: one vector per position.</summary>
    public void Add(ReadOnlySpan<double> vectors)
    {
        if (vectors.Length != positions * features)
            throw new ArgumentException($"{vectors.Length} values for {positions} positions of {features} features", nameof(vectors));
        for (int p = 0; p < positions; p++)
        {
            var v = vectors.Slice(p * features, features);
            var sums = _sums.AsSpan(p * features, features);
            for (int j = 0; j < features; j++)
            {
                sums[j] += v[j];
                var row = _products.AsSpan((p * features + j) * features, j + 1);
                for (int k = 0; k <= j; k++) row[k] += v[j] * v[k];
            }
        }
        Count++;
    }

    /// <returns>Means [positions, features] and whitenings [positions, features, features] (row-major, lower triangular).</returns>
    public (float[] Mean, float[] Whitening) Fit(double shrinkage = DefaultShrinkage)
    {
        if (Count == 0) throw new InvalidOperationException("a Gaussian needs at least one feature vector");
        var mean = new float[positions * features];
        var whitening = new float[positions * features * features];
        for (int p = 0; p < positions; p++)
        {
            var mu = Vector<double>.Build.Dense(features, j => _sums[p * features + j] / Count);
            var covariance = Matrix<double>.Build.Dense(features, features, (j, k) =>
            {
                int lower = (p * features + Math.Max(j, k)) * features + Math.Min(j, k);
                return _products[lower] / Count - mu[j] * mu[k];
            });
            double added = shrinkage * covariance.Trace() / features;
            // A position where no normal image varies at all (a constant background): any change there is unusual,
            // measured against a unit variance instead of none.
            if (added == 0) added = shrinkage;
            for (int j = 0; j < features; j++) covariance[j, j] += added;
            var inverse = covariance.Cholesky().Factor.Inverse();
            for (int j = 0; j < features; j++)
            {
                mean[p * features + j] = (float)mu[j];
                for (int k = 0; k <= j; k++) whitening[(p * features + j) * features + k] = (float)inverse[j, k];
            }
        }
        return (mean, whitening);
    }
}
