namespace VulkanAE.Tests.Analysis;

/// <summary>Seeded random vectors and matrices for the analysis tests.</summary>
internal static class AnalysisRandom
{
    public static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    public static double[] Gaussians(Random random, int count) =>
        Enumerable.Range(0, count).Select(_ => Gaussian(random)).ToArray();

    /// <summary>[n, n] row-major orthogonal matrix: Gram-Schmidt on a Gaussian matrix.</summary>
    public static double[] Orthogonal(Random random, int n)
    {
        var q = Gaussians(random, n * n);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < i; j++)
            {
                double dot = Dot(q, i, q, j, n);
                for (int c = 0; c < n; c++)
                {
                    q[i * n + c] -= dot * q[j * n + c];
                }
            }

            double norm = Math.Sqrt(Dot(q, i, q, i, n));
            for (int c = 0; c < n; c++)
            {
                q[i * n + c] /= norm;
            }
        }

        return q;
    }

    /// <summary>Q^T diag(values) Q: the rows of Q are its eigenvectors.</summary>
    public static double[] WithEigenpairs(double[] q, double[] values)
    {
        int n = values.Length;
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int k = 0; k < n; k++)
                {
                    sum += q[k * n + i] * values[k] * q[k * n + j];
                }

                a[i * n + j] = sum;
            }
        }

        return a;
    }

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
