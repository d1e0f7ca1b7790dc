using VulkanAE.Core;
using VulkanAE.Kernels.Activation;

namespace VulkanAE.Kernels.Dense;

/// <summary>
/// The bias gradient of a dense layer: shaders/dense/bias_{gradient,activation_gradient}.comp, dy
/// row-major [rows, cols], bias [cols]. The bias itself is added by the matmul's epilogue (<see cref="MatmulEpilogue"/>).
/// </summary>
internal static class BiasKernels
{
    private readonly record struct Push(uint Rows, uint Cols);

    private static readonly KernelSignature<VectorConstants> GradientSignature
        = KernelSignature.Of<Push, VectorConstants>("dense/bias_gradient", Access.Read, Access.Write);
    private static readonly KernelSignature<ActivationGradientConstants> ActivationGradientSignature = KernelSignature.Of<Push, ActivationGradientConstants>(
        "dense/bias_activation_gradient", Access.Read, Access.Read, Access.Write, Access.Write);

    /// <summary>dbias[c] = sum over r of dy[r, c], summed in row order (deterministic, no atomics; four columns per invocation when cols is a multiple of 4).</summary>
    public static void Gradient(SequenceRecorder r, Tensor dy, Tensor dbias, int rows, int cols)
    {
        Require(dy, dbias, rows, cols);
        bool vector = LinearDispatch.Vectorizable(cols, dy, dbias);
        var kernel = r.Gpu.Kernel(GradientSignature, new VectorConstants(LinearDispatch.WorkgroupSize, vector));
        r.Dispatch(kernel, LinearDispatch.Groups(r.Gpu, vector ? cols / 4 : cols), new Push((uint)rows, (uint)cols),
            new CommandWork((double)rows * cols, 4.0 * ((double)rows * cols + cols)), dy, dbias);
    }

    /// <summary>
    /// The backward of an activation y = f(z) after the layer, fused with the bias gradient:
    /// dz = dy * f'(y) (from the activation's output y), and dbias[c] = sum over r of dz[r, c] in row order.
    /// One pass instead of <see cref="ActivationKernels.Backward"/> then <see cref="Gradient"/>.
    /// </summary>
    public static void GradientThroughActivation(SequenceRecorder r, ActivationKind kind, Tensor y, Tensor dy, Tensor dz, Tensor dbias, int rows, int cols)
    {
        foreach (var matrix in new[] { y, dy, dz }) Require(matrix, dbias, rows, cols);
        bool vector = LinearDispatch.Vectorizable(cols, y, dy, dz, dbias);
        var kernel = r.Gpu.Kernel(ActivationGradientSignature, new ActivationGradientConstants(LinearDispatch.WorkgroupSize, kind, vector));
        r.Dispatch(kernel, LinearDispatch.Groups(r.Gpu, vector ? cols / 4 : cols), new Push((uint)rows, (uint)cols),
            new CommandWork(3.0 * rows * cols, 4.0 * (3.0 * rows * cols + cols)), y, dy, dz, dbias);
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

    public static (float[] Dz, float[] Dbias) GradientThroughActivation(ActivationKind kind, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, int rows, int cols)
    {
        var dz = ActivationReference.Backward(kind, y[..(rows * cols)], dy[..(rows * cols)]);
        return (dz, Gradient(dz, rows, cols));
    }
}
