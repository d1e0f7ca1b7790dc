using System.Diagnostics;

namespace VulkanAE.Analysis;

/// <summary>How <see cref="Pca.Fit"/> finds the principal directions.</summary>
internal enum PcaSolver
{
    /// <summary><see cref="Covariance"/> up to <see cref="Pca.CovarianceSolverMaxDimension"/> features, else <see cref="SubspaceIteration"/>.</summary>
    Auto,

    /// <summary>Exact: the d x d covariance (double) and a full symmetric eigen-decomposition (Householder + QL). O(n d^2 + d^3).</summary>
    Covariance,

    /// <summary>Iterative: block subspace iteration on the data, never forming the covariance. O(n d k) per iteration.</summary>
    SubspaceIteration,
}

/// <summary>
/// Principal component analysis of a data matrix X [n, d] (float, row-major, one sample per row):
/// the mean, the top-k principal directions (orthonormal rows of <see cref="Directions"/> [k, d]),
/// their variances (eigenvalues of the sample covariance, divisor n - 1, as numpy/sklearn report
/// them) and the fraction of the total variance each explains. Projection maps x to
/// V (x - mean) and reconstruction to mean + V^T V (x - mean). Principal directions are defined
/// up to sign (and, for a repeated variance, up to a rotation within its eigenspace).
/// </summary>
internal sealed class Pca
{
    /// <summary>
    /// Largest d for which <see cref="PcaSolver.Auto"/> forms the covariance: 784 (MNIST) takes a few
    /// seconds on two cores; the d^3 eigensolve grows past a minute around d = 2048.
    /// </summary>
    public const int CovarianceSolverMaxDimension = 2048;

    private Pca(int samples, double[] mean, double[] directions, double[] variances, double totalVariance, string solverSummary)
    {
        Samples = samples;
        Dimension = mean.Length;
        Components = variances.Length;
        Mean = mean;
        Directions = directions;
        Variances = variances;
        TotalVariance = totalVariance;
        ExplainedVarianceRatios = variances.Select(v => totalVariance > 0 ? v / totalVariance : 0).ToArray();
        SolverSummary = solverSummary;
    }

    /// <summary>n, the number of rows fitted.</summary>
    public int Samples { get; }

    /// <summary>d, the length of one sample.</summary>
    public int Dimension { get; }

    /// <summary>k.</summary>
    public int Components { get; }

    /// <summary>[d] column means.</summary>
    public double[] Mean { get; }

    /// <summary>[k, d] row-major, orthonormal rows, by descending variance.</summary>
    public double[] Directions { get; }

    /// <summary>[k] variance of the data along each direction (divisor n - 1), descending.</summary>
    public double[] Variances { get; }

    /// <summary>Sum of the variances of all d features (trace of the covariance, divisor n - 1).</summary>
    public double TotalVariance { get; }

    /// <summary>[k] <see cref="Variances"/> / <see cref="TotalVariance"/>.</summary>
    public double[] ExplainedVarianceRatios { get; }

    /// <summary>Which solver ran, in how long, and (iterative) its iterations and final residual: for logs.</summary>
    public string SolverSummary { get; }

    /// <param name="data">[rows, columns] row-major, one sample per row.</param>
    /// <param name="components">k, 1..columns.</param>
    /// <param name="seed">Start block of <see cref="PcaSolver.SubspaceIteration"/>; the result does not depend on it beyond the tolerance.</param>
    /// <param name="tolerance">Relative residual ||C v - λ v|| / λ at which subspace iteration stops.</param>
    public static Pca Fit(float[] data, int rows, int columns, int components, PcaSolver solver = PcaSolver.Auto, int seed = 1, double tolerance = 1e-7, int maxIterations = 500)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 2);
        if (components < 1 || components > columns)
        {
            throw new ArgumentOutOfRangeException(nameof(components), $"{components} principal components asked of {columns}-dimensional data: choose 1..{columns}");
        }

        if (solver == PcaSolver.Auto)
        {
            solver = columns <= CovarianceSolverMaxDimension ? PcaSolver.Covariance : PcaSolver.SubspaceIteration;
        }

        var mean = Scatter.ColumnMeans(data, rows, columns);
        double totalVariance = Scatter.TotalSquaredDeviation(data, rows, columns, mean) / (rows - 1);
        var clock = Stopwatch.StartNew();
        if (solver == PcaSolver.Covariance)
        {
            var scatter = Scatter.Centered(data, rows, columns, mean);
            double scatterSeconds = clock.Elapsed.TotalSeconds;
            var eigen = SymmetricEigen.Decompose(scatter, columns);
            var variances = eigen.Values[..components].Select(v => Math.Max(v, 0) / (rows - 1)).ToArray();
            return new Pca(rows, mean, eigen.Vectors[..(components * columns)], variances, totalVariance,
                $"covariance {columns}x{columns} of {rows} rows in {scatterSeconds:F2} s, eigensolve in {clock.Elapsed.TotalSeconds - scatterSeconds:F2} s");
        }

        var result = SubspaceIteration.TopEigenpairs(data, rows, columns, mean, components, seed, tolerance, maxIterations);
        return new Pca(rows, mean, result.Vectors, result.Values.Select(v => Math.Max(v, 0)).ToArray(), totalVariance,
            $"subspace iteration: {result.Iterations} iterations in {clock.Elapsed.TotalSeconds:F2} s, relative residual {result.Residual:E1}" +
            (result.Residual > tolerance ? $" (did not reach {tolerance:E0} within {maxIterations} iterations)" : ""));
    }

    /// <summary>codes [k] = V (x - mean).</summary>
    public void Project(ReadOnlySpan<float> sample, Span<double> codes)
    {
        CheckLengths(sample.Length, codes.Length, Components, nameof(codes));
        for (int i = 0; i < Components; i++)
        {
            var direction = Directions.AsSpan(i * Dimension, Dimension);
            double sum = 0;
            for (int c = 0; c < Dimension; c++)
            {
                sum += direction[c] * (sample[c] - Mean[c]);
            }

            codes[i] = sum;
        }
    }

    /// <summary>reconstruction [d] = mean + V^T V (x - mean).</summary>
    public void Reconstruct(ReadOnlySpan<float> sample, Span<float> reconstruction)
    {
        CheckLengths(sample.Length, reconstruction.Length, Dimension, nameof(reconstruction));
        Span<double> codes = Components <= 256 ? stackalloc double[Components] : new double[Components];
        Project(sample, codes);
        for (int c = 0; c < Dimension; c++)
        {
            double sum = Mean[c];
            for (int i = 0; i < Components; i++)
            {
                sum += codes[i] * Directions[i * Dimension + c];
            }

            reconstruction[c] = (float)sum;
        }
    }

    /// <summary>Reconstructs every row of <paramref name="data"/> [rows, d], in parallel.</summary>
    public float[] ReconstructRows(float[] data, int rows)
    {
        if ((long)rows * Dimension != data.LongLength)
        {
            throw new ArgumentException($"{data.LongLength} values for {rows} samples of dimension {Dimension}", nameof(data));
        }

        var result = new float[data.Length];
        Parallel.For(0, rows, r => Reconstruct(data.AsSpan(r * Dimension, Dimension), result.AsSpan(r * Dimension, Dimension)));
        return result;
    }

    private void CheckLengths(int sampleLength, int outputLength, int expectedOutput, string outputName)
    {
        if (sampleLength != Dimension)
        {
            throw new ArgumentException($"sample of length {sampleLength}; this PCA was fitted on dimension {Dimension}");
        }

        if (outputLength != expectedOutput)
        {
            throw new ArgumentException($"{outputName} has length {outputLength}, expected {expectedOutput}", outputName);
        }
    }
}
