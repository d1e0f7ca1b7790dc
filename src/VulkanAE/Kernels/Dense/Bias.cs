using VulkanAE.Core;

namespace VulkanAE.Kernels.Dense;

/// <summary>
/// The bias gradient of a dense layer: shaders/dense/bias_gradient.comp, dy row-major [rows, cols],
/// bias [cols]. The bias itself is added by the matmul's epilogue (<see cref="MatmulEpilogue"/>).
/// </summary>
internal static class BiasKernels
{
    private readonly record struct Push(uint Rows, uint Cols);

    private static readonly KernelSignature<WorkgroupConstants> GradientSignature
        = KernelSignature.Of<Push, WorkgroupConstants>("dense/bias_gradient", Access.Read, Access.Write);

    /// <summary>dbias[c] = sum over r of dy[r, c], summed in row order (deterministic, no atomics).</summary>
    public static void Gradient(SequenceRecorder r, Tensor dy, Tensor dbias, int rows, int cols)
    {
        Require(dy, dbias, rows, cols);
        var kernel = r.Gpu.Kernel(GradientSignature, new WorkgroupConstants(LinearDispatch.WorkgroupSize));
        r.Dispatch(kernel, LinearDispatch.Groups(r.Gpu, cols), new Push((uint)rows, (uint)cols),
            new CommandWork((double)rows * cols, 4.0 * ((double)rows * cols + cols)), dy, dbias);
    }

    private static void Require(Tensor matrix, Tensor bias, int rows, int cols)
    {
        if (rows < 1 || cols < 1) throw new ArgumentException($"bias: sizes must be positive, got rows={rows}, cols={cols}");
        if (matrix.Length < (long)rows * cols)
            throw new ArgumentException($"bias: {matrix} needs {(long)rows * cols} elements for [{rows}, {cols}], has {matrix.Length}");
        if (bias.Length < cols) throw new ArgumentException($"bias: {bias} needs {cols} elements, has {bias.Length}");
    }
}

/// <summary>CPU references of <see cref="BiasKernels"/> and of the bias a matmul's epilogue adds, the oracles of their tests.</summary>
internal static class BiasReference
{
    public static float[] Add(ReadOnlySpan<float> y, ReadOnlySpan<float> bias, int rows, int cols)
    {
        var result = y[..(rows * cols)].ToArray();
        for (int i = 0; i < result.Length; i++) result[i] += bias[i % cols];
        return result;
    }

    public static float[] Gradient(ReadOnlySpan<float> dy, int rows, int cols)
    {
        var dbias = new float[cols];
        for (int c = 0; c < cols; c++)
        {
            double sum = 0;
            for (int r = 0; r < rows; r++) sum += dy[r * cols + c];
            dbias[c] = (float)sum;
        }
        return dbias;
    }
}
