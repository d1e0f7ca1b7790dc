namespace VulkanAE.Tests;

/// <summary>
/// Central finite differences of a scalar loss, the check that an analytic (GPU) gradient is
/// the derivative of the forward pass. The loss is evaluated in double on the host from the
/// forward outputs, so the only float32 error is the forward pass's own.
/// </summary>
internal static class FiniteDifference
{
    /// <summary>
    /// Compares <paramref name="analytic"/>[i] with (L(x + eps e_i) - L(x - eps e_i)) / 2 eps for
    /// <paramref name="samples"/> coordinates chosen at random (all of them when fewer).
    /// </summary>
    public static void Check(Func<float[], double> loss, float[] x, ReadOnlySpan<float> analytic, string what,
        float eps = 1e-2f, double rtol = 2e-2, double atol = 2e-3, int samples = 24, int seed = 7)
    {
        Assert.That(analytic.Length, Is.EqualTo(x.Length), $"{what}: gradient length");
        var random = new Random(seed);
        var indices = x.Length <= samples
            ? Enumerable.Range(0, x.Length).ToArray()
            : Enumerable.Range(0, samples).Select(_ => random.Next(x.Length)).ToArray();
        foreach (var i in indices)
        {
            var probe = (float[])x.Clone();
            probe[i] = x[i] + eps;
            double plus = loss(probe);
            probe[i] = x[i] - eps;
            double minus = loss(probe);
            double numeric = (plus - minus) / (2.0 * eps);
            double tolerance = atol + rtol * Math.Abs(numeric);
            Assert.That(Math.Abs(analytic[i] - numeric), Is.LessThanOrEqualTo(tolerance),
                $"{what}: d/dx[{i}] analytic {analytic[i]:G6} vs finite difference {numeric:G6}");
        }
    }

    /// <summary>Random weights w for the probe loss L = sum(w * y), whose gradient with respect to y is w.</summary>
    public static double WeightedSum(ReadOnlySpan<float> y, ReadOnlySpan<float> w)
    {
        double sum = 0;
        for (int i = 0; i < y.Length; i++) sum += (double)y[i] * w[i];
        return sum;
    }
}
