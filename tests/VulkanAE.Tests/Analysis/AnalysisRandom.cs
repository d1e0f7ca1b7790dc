using MathNet.Numerics.LinearAlgebra;

namespace VulkanAE.Tests.Analysis;

/// <summary>Seeded random vectors and matrices for the analysis tests.</summary>
internal static class AnalysisRandom
{
    public static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    public static double[] Gaussians(Random random, int count) =>
        Enumerable.Range(0, count).Select(_ => Gaussian(random)).ToArray();

    /// <summary>[n, n] row-major orthogonal matrix: the Q of a Gaussian matrix's QR.</summary>
    public static double[] Orthogonal(Random random, int n) =>
        Matrix<double>.Build.Dense(n, n, Gaussians(random, n * n)).QR().Q.ToRowMajorArray();

    /// <summary>Row <paramref name="i"/> of a . row <paramref name="j"/> of b, rows of length <paramref name="n"/>.</summary>
    public static double Dot(double[] a, int i, double[] b, int j, int n)
    {
        double sum = 0;
        for (int c = 0; c < n; c++)
        {
            sum += a[i * n + c] * b[j * n + c];
        }

        return sum;
    }
}
