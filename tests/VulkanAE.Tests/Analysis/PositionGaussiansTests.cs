using VulkanAE.Analysis;
using VulkanAE.Kernels.Anomaly;

namespace VulkanAE.Tests.Analysis;

public class PositionGaussiansTests
{
    /// <summary>The squared Mahalanobis distances of one image's vectors [positions, 2] under the fitted Gaussians.</summary>
    private static float[] Distances(PositionGaussians gaussians, double[] vectors, double shrinkage)
    {
        var (mean, whitening) = gaussians.Fit(shrinkage);
        var shape = new HypercolumnShape(2, 1, gaussians.Positions, 0, 0, 0);
        // NCHW: channel k of position p at k * positions + p.
        var fine = new float[vectors.Length];
        for (int p = 0; p < gaussians.Positions; p++)
        for (int k = 0; k < 2; k++)
            fine[k * gaussians.Positions + p] = (float)vectors[p * 2 + k];
        return FeatureDistanceReference.Distances(fine, [], mean, whitening, 1, shape);
    }

    [Test]
    public void DistancesAreThoseOfTheShrunkCovarianceComputedByHand()
    {
        // Position 0: the corners of a square and its centre twice: mean (1, 1), variances 4/6 = 2/3, no covariance;
        // shrunk by 0.01 * trace / 2 to 2/3 * 1.01 I. Position 1: (1,1), (-1,-1), (2,2), (-2,-2), (1,-1), (-1,1): mean 0,
        // variances 12/6 = 2, covariance (1 + 1 + 4 + 4 - 1 - 1)/6 = 4/3, shrunk by 0.01 * 2: S = [[2.02, 4/3], [4/3, 2.02]],
        // whose inverse is [[2.02, -4/3], [-4/3, 2.02]] / (2.02^2 - 16/9).
        double[][] first = [[0, 0], [2, 0], [0, 2], [2, 2], [1, 1], [1, 1]];
        double[][] second = [[1, 1], [-1, -1], [2, 2], [-2, -2], [1, -1], [-1, 1]];
        var gaussians = new PositionGaussians(positions: 2, features: 2);
        for (int i = 0; i < first.Length; i++) gaussians.Add([.. first[i], .. second[i]]);
        double determinant = 2.02 * 2.02 - 16.0 / 9;

        Assert.That(Distances(gaussians, [3, 1, 1, 0], 0.01), Is.EqualTo(new[] { 4 / (2.0 / 3 * 1.01), 2.02 / determinant }).Within(1e-5));
        Assert.That(Distances(gaussians, [1, 1, 1, 1], 0.01), Is.EqualTo(new[] { 0, (2.02 + 2.02 - 8.0 / 3) / determinant }).Within(1e-5));
    }

    [Test]
    public void APositionNoImageVariesAtIsMeasuredAgainstTheShrinkageAlone()
    {
        // Every image has (0.5, 0.5): no variance, so the shrinkage itself (0.01) is the variance; 0.1 away is distance 1.
        var gaussians = new PositionGaussians(positions: 1, features: 2);
        for (int i = 0; i < 3; i++) gaussians.Add([0.5, 0.5]);
        Assert.That(Distances(gaussians, [0.6, 0.5], 0.01), Is.EqualTo(new[] { 1.0 }).Within(1e-4));
    }

    [Test]
    public void AnEmptyFitIsRefused() => Assert.Throws<InvalidOperationException>(() => new PositionGaussians(1, 2).Fit());
}
