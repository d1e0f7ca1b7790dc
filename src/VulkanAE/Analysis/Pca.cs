using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using VulkanAE.Core;
using VulkanAE.Kernels.Dense;

namespace VulkanAE.Analysis;

/// <summary>How <see cref="Pca.Fit"/> finds the principal directions.</summary>
internal enum PcaSolver
{
    /// <summary><see cref="Covariance"/> up to <see cref="Pca.CovarianceSolverMaxDimension"/> features, else <see cref="SubspaceIteration"/>.</summary>
    Auto,

    /// <summary>
    /// Exact up to fp32: the d x d scatter matrix on the GPU (<see cref="Scatter"/>), summed in double,
    /// and MathNet's full symmetric eigen-decomposition. O(n d^2) on the GPU, O(d^3) on the host.
    /// </summary>
    Covariance,

    /// <summary>Iterative: block subspace iteration on the data (<see cref="Analysis.SubspaceIteration"/>), never forming the covariance. O(n d k) per iteration.</summary>
    SubspaceIteration,
}

/// <summary>
/// Principal component analysis of a data matrix X [n, d] (float, row-major, one sample per row):
/// the mean, the top-k principal directions (orthonormal rows of <see cref="Directions"/> [k, d]),
/// their variances (eigenvalues of the sample covariance, divisor n - 1, as numpy/sklearn report
/// them) and the fraction of the total variance each explains. Projection maps x to
/// V (x - mean) and reconstruction to mean + V^T V (x - mean). Principal directions are defined
/// up to sign (and, for a repeated variance, up to a rotation within its eigenspace).
/// The products over the data run on the GPU in fp32, in blocks of rows summed in double
/// (<see cref="CenteredRowBlocks"/>): on MNIST the top 64 variances agree with a double-precision
/// PCA to 6.4e-7 of each (covariance solver) and the top 16 to 1.3e-7 (subspace iteration).
/// </summary>
internal sealed class Pca
{
    /// <summary>
    /// Largest d for which <see cref="PcaSolver.Auto"/> forms the covariance. MathNet's symmetric
    /// eigensolver (managed provider, one core of an AMD EPYC) takes 1.2 s of CPU at d = 784, 2.9 s at
    /// 1,024, 27.5 s at 2,048 and 205 s at 4,096: past 2,048 the d^3 eigensolve outgrows subspace
    /// iteration's passes over the data. (The covariance's d^2 floats must also fit one buffer binding:
    /// d &lt;= 5,792 on lavapipe's 128 MiB.)
    /// </summary>
    public const int CovarianceSolverMaxDimension = 2048;

    /// <summary>
    /// Relative residual at which subspace iteration stops. With fp32 products the residual bottoms
    /// out near 2.6e-7 (MNIST, k = 16: 150 iterations did not go lower); 1e-5 took 14 iterations there
    /// and gave variances as accurate (1.2e-7 relative) as iterating to the floor.
    /// </summary>
    public const double DefaultTolerance = 1e-5;

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

    /// <summary>Sum of the variances of all d features (trace of the covariance, divisor n - 1), summed in double on the host.</summary>
    public double TotalVariance { get; }

    /// <summary>[k] <see cref="Variances"/> / <see cref="TotalVariance"/>.</summary>
    public double[] ExplainedVarianceRatios { get; }

    /// <summary>Which solver ran, in how long, and (iterative) its iterations and final residual: for logs.</summary>
    public string SolverSummary { get; }

    /// <param name="data">[rows, columns] row-major, one sample per row.</param>
    /// <param name="components">k, 1..columns.</param>
    /// <param name="seed">Start block of <see cref="PcaSolver.SubspaceIteration"/>; the result does not depend on it beyond the tolerance.</param>
    /// <param name="tolerance">Relative residual ||C v - λ v|| / λ at which subspace iteration stops.</param>
    /// <param name="rowsPerBlock">Rows summed in fp32 by one matmul before the host adds the blocks in double.</param>
    public static Pca Fit(Gpu gpu, float[] data, int rows, int columns, int components, PcaSolver solver = PcaSolver.Auto, int seed = 1,
        double tolerance = DefaultTolerance, int maxIterations = 500, int rowsPerBlock = CenteredRowBlocks.DefaultRowsPerBlock)
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

        if (solver == PcaSolver.Covariance && (ulong)columns * (ulong)columns * sizeof(float) > gpu.Info.MaxStorageBufferRange)
        {
            throw new ArgumentException($"the {columns}x{columns} covariance exceeds this device's maxStorageBufferRange of "
                + $"{gpu.Info.MaxStorageBufferRange / 1048576.0:F0} MiB per buffer: use {nameof(PcaSolver.SubspaceIteration)}", nameof(solver));
        }

        var mean = CenteredRowBlocks.ColumnMeans(data, rows, columns);
        using var centred = CenteredRowBlocks.Upload(gpu, data, rows, columns, mean, rowsPerBlock);
        double totalVariance = centred.TotalSquaredDeviation / (rows - 1);
        var clock = Stopwatch.StartNew();
        if (solver == PcaSolver.Covariance)
        {
            var scatter = Scatter.Compute(gpu, centred);
            double scatterSeconds = clock.Elapsed.TotalSeconds;
            // Row-major and column-major are the same storage for a symmetric matrix.
            var (eigenvalues, directions) = LargestEigenpairs.Of(Matrix<double>.Build.Dense(columns, columns, scatter), components);
            var variances = eigenvalues.Select(v => Math.Max(v, 0) / (rows - 1)).ToArray();
            return new Pca(rows, mean, directions.ToRowMajorArray(), variances, totalVariance,
                $"covariance {columns}x{columns} of {rows} rows on the GPU in {scatterSeconds:F2} s, eigensolve in {clock.Elapsed.TotalSeconds - scatterSeconds:F2} s");
        }

        var result = SubspaceIteration.TopEigenpairs(gpu, centred, components, seed, tolerance, maxIterations);
        return new Pca(rows, mean, result.Vectors, result.Values.Select(v => Math.Max(v, 0)).ToArray(), totalVariance,
            $"subspace iteration on the GPU: {result.Iterations} iterations in {clock.Elapsed.TotalSeconds:F2} s, relative residual {result.Residual:E1}" +
            (result.Residual > tolerance ? $" (did not reach {tolerance:E0} within {maxIterations} iterations)" : ""));
    }

    /// <summary>mean + V^T V (x - mean) for every row x of <paramref name="data"/> [rows, d], the products on the GPU.</summary>
    public float[] ReconstructRows(Gpu gpu, float[] data, int rows)
    {
        if ((long)rows * Dimension != data.LongLength)
        {
            throw new ArgumentException($"{data.LongLength} values for {rows} samples of dimension {Dimension}; this PCA was fitted on dimension {Dimension}", nameof(data));
        }

        using var centred = CenteredRowBlocks.Upload(gpu, data, rows, Dimension, Mean);
        using var directions = gpu.CreateTensor("pca.directions", Directions.Select(v => (float)v).ToArray());
        var codes = new List<Tensor>();
        var projections = new List<Tensor>();
        try
        {
            foreach (var block in centred.Blocks)
            {
                codes.Add(gpu.CreateTensor($"pca.codes{block.First}", (long)block.Count * Components));
                projections.Add(gpu.CreateTensor($"pca.projection{block.First}", (long)block.Count * Dimension));
            }

            gpu.Run(r =>
            {
                for (int b = 0; b < centred.Blocks.Count; b++)
                {
                    var block = centred.Blocks[b];
                    // codes [count, k] = (X - mean) V^T; projection [count, d] = codes V.
                    MatmulKernels.Multiply(r, block.Rows, directions, codes[b], block.Count, Components, Dimension, transposeA: false, transposeB: true);
                    MatmulKernels.Multiply(r, codes[b], directions, projections[b], block.Count, Dimension, Components, transposeA: false, transposeB: false);
                }
            });

            var result = new float[data.Length];
            for (int b = 0; b < centred.Blocks.Count; b++)
            {
                var block = centred.Blocks[b];
                var rowsOfBlock = result.AsSpan(block.First * Dimension, block.Count * Dimension);
                projections[b].Download(rowsOfBlock);
                for (int i = 0; i < rowsOfBlock.Length; i++)
                {
                    rowsOfBlock[i] = (float)(rowsOfBlock[i] + Mean[i % Dimension]);
                }
            }

            return result;
        }
        finally
        {
            codes.ForEach(t => t.Dispose());
            projections.ForEach(t => t.Dispose());
        }
    }
}
