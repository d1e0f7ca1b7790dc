using MathNet.Numerics.LinearAlgebra;
using VulkanAE.Analysis;
using VulkanAE.Core;
using VulkanAE.Kernels.Dense;

namespace VulkanAE.Viewer;

/// <summary>
/// The two principal axes of the latent codes the viewer draws, on the device and inside its
/// recorded model panels (nothing is read back): the codes' sums by the matmul kernels
/// (gram = M^T M, sums = 1^T M), then shaders/viewer/principal_axes.comp for the covariance's top
/// two eigenvectors. <see cref="Axes"/> holds the shader's [5, d] rows: the grid's decoding
/// (spread v1, spread v2, mean) and the scatter's projection (v1 / spread, v2 / spread).
/// Why a Jacobi shader and not <see cref="Pca"/>: Pca reads its products back and solves on the host,
/// which would stall training at every refresh of the panels; here the eigenproblem (d x d, d a
/// latent's width) is small enough for one invocation.
/// </summary>
internal sealed class PrincipalAxes : IDisposable
{
    /// <summary>
    /// Widest latent whose axes the viewer computes: the shader's one invocation does 3 d multiply-adds
    /// per pair (p, q), d^2 / 2 pairs per sweep. Per refresh of the panels, for 2,000 codes, with the
    /// validation layer on (lavapipe, AMD EPYC 2 cores, busy): 2.4-3.6 ms at d = 20, 58 ms at d = 64.
    /// </summary>
    public const int MaxDimension = 64;

    /// <summary>Jacobi sweeps: convergence is quadratic; 6 meet PrincipalAxesTests' tolerance up to d = 64, and a sweep over settled pairs skips them.</summary>
    public const int Sweeps = 6;

    /// <summary>
    /// Loop iterations one dispatch of the shader may run: llvmpipe ends an invocation's loops after
    /// 65,535 in all (LP_MAX_TGSI_LOOP_ITERATIONS), silently.
    /// </summary>
    private const int LoopBudget = 60_000;

    /// <summary>Rows of <see cref="Axes"/>: two decoding axes and the mean (a grid point's (a, b, 1) times these is its code), then two projections.</summary>
    public const int Rows = 5, DecodingRows = 3;

    private readonly record struct Push(uint Dimension, uint Count, uint Step, uint FirstRow, uint LastRow);

    /// <summary>The shader's STEP_* values.</summary>
    private const uint SetUp = 0, Rotate = 1, Finish = 2;

    private static readonly KernelSignature<NoConstants> Signature
        = KernelSignature.Of<Push, NoConstants>("viewer/principal_axes", Access.Read, Access.Read, Access.ReadWrite, Access.ReadWrite);

    private readonly int _count;
    private readonly Tensor _ones;
    private readonly Tensor _gram;
    private readonly Tensor _sums;
    private readonly Tensor _work;

    /// <summary>Axes of <paramref name="count"/> codes of <paramref name="dimension"/> numbers.</summary>
    public PrincipalAxes(Gpu gpu, int count, int dimension)
    {
        if (dimension < 2 || dimension > MaxDimension)
            throw new ArgumentOutOfRangeException(nameof(dimension), $"principal axes of {dimension}-number codes: the viewer computes them for 2..{MaxDimension}");
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 2);
        _count = count;
        Dimension = dimension;
        _ones = gpu.CreateTensor("viewer.axes_ones", count);
        _ones.Upload<float>(Enumerable.Repeat(1f, count).ToArray());
        _gram = gpu.CreateTensor("viewer.axes_gram", (long)dimension * dimension);
        _sums = gpu.CreateTensor("viewer.axes_sums", dimension);
        _work = gpu.CreateTensor("viewer.axes_work", 2L * dimension * dimension);
        Axes = gpu.CreateTensor("viewer.axes", Rows * dimension);
        Axes.Upload<float>(new float[Rows * dimension]);
    }

    public int Dimension { get; }

    /// <summary>[5, d]: see the class summary; zeros until the first <see cref="Record"/> runs (no previous side for the signs).</summary>
    public Tensor Axes { get; }

    /// <summary>The axes of <paramref name="codes"/> [count, d], replacing those of the previous run (whose signs they keep).</summary>
    public void Record(SequenceRecorder r, Tensor codes)
    {
        MatmulKernels.Multiply(r, codes, codes, _gram, Dimension, Dimension, _count, transposeA: true, transposeB: false);
        MatmulKernels.Multiply(r, _ones, codes, _sums, 1, Dimension, _count, transposeA: false, transposeB: false);
        var kernel = r.Gpu.Kernel(Signature);
        void Step(uint step, int firstRow = 0, int lastRow = 0)
            => r.Dispatch(kernel, (1, 1, 1), new Push((uint)Dimension, (uint)_count, step, (uint)firstRow, (uint)lastRow), _gram, _sums, _work, Axes);
        Step(SetUp);
        for (int sweep = 0; sweep < Sweeps; sweep++)
            foreach (var (first, last) in RotationDispatches(Dimension))
                Step(Rotate, first, last);
        Step(Finish);
    }

    /// <summary>
    /// Rows [first, last) of a sweep per dispatch, as many as keep its loop iterations (3 d + 1 per
    /// pair (p, q > p), 1 per row) within <see cref="LoopBudget"/>.
    /// </summary>
    internal static IEnumerable<(int First, int Last)> RotationDispatches(int dimension)
    {
        int first = 0, iterations = 0;
        for (int p = 0; p < dimension; p++)
        {
            int row = 1 + (dimension - 1 - p) * (3 * dimension + 1);
            if (p > first && iterations + row > LoopBudget)
            {
                yield return (first, p);
                (first, iterations) = (p, 0);
            }
            iterations += row;
        }
        yield return (first, dimension);
    }

    /// <summary>The axes of a 2-D latent taken as they are (z0, z1, origin 0, unit spread): the same grid and scatter as without them.</summary>
    public static float[] Identity => [1, 0, 0, 1, 0, 0, 1, 0, 0, 1];

    /// <summary>(a, b, 1) per grid point, the left operand of the decoding rows.</summary>
    public static float[] Coordinates(ReadOnlySpan<float> points)
    {
        var coordinates = new float[points.Length / 2 * DecodingRows];
        for (int i = 0; i < points.Length / 2; i++)
            (coordinates[3 * i], coordinates[3 * i + 1], coordinates[3 * i + 2]) = (points[2 * i], points[2 * i + 1], 1f);
        return coordinates;
    }

    /// <summary>Codes [rows, d] of the points whose <see cref="Coordinates"/> are in <paramref name="coordinates"/>.</summary>
    public static void RecordDecoding(SequenceRecorder r, Tensor coordinates, int rows, Tensor axes, int dimension, Tensor codes)
        => MatmulKernels.Multiply(r, coordinates, axes, codes, rows, dimension, DecodingRows, transposeA: false, transposeB: false);

    public void Dispose()
    {
        foreach (var tensor in new[] { _ones, _gram, _sums, _work, Axes }) tensor.Dispose();
    }
}

/// <summary>
/// CPU reference of <see cref="PrincipalAxes"/>: the sample covariance in double and MathNet's
/// symmetric eigen-decomposition (<see cref="LargestEigenpairs"/>), with the shader's sign rule.
/// </summary>
internal static class PrincipalAxesReference
{
    public static float[] Of(float[] codes, int count, int dimension, ReadOnlySpan<float> previous)
    {
        var data = Matrix<double>.Build.Dense(count, dimension, (r, c) => codes[r * dimension + c]);
        var mean = data.ColumnSums() / count;
        var centred = data - Matrix<double>.Build.Dense(count, dimension, (_, c) => mean[c]);
        var covariance = centred.TransposeThisAndMultiply(centred) / (count - 1);
        var (values, vectors) = LargestEigenpairs.Of(covariance, 2);
        double spread = Math.Sqrt(Math.Max(values[0], 0));
        if (spread == 0) spread = 1;
        var axes = new float[PrincipalAxes.Rows * dimension];
        for (int axis = 0; axis < 2; axis++)
        {
            var direction = vectors.Row(axis);
            double alongPrevious = 0;
            for (int k = 0; k < dimension; k++) alongPrevious += previous[axis * dimension + k] * direction[k];
            double sign = alongPrevious != 0 ? Math.Sign(alongPrevious) : Math.Sign(direction[direction.AbsoluteMaximumIndex()]);
            for (int k = 0; k < dimension; k++)
            {
                axes[axis * dimension + k] = (float)(spread * sign * direction[k]);
                axes[(3 + axis) * dimension + k] = (float)(sign * direction[k] / spread);
            }
        }
        for (int k = 0; k < dimension; k++) axes[2 * dimension + k] = (float)mean[k];
        return axes;
    }
}
