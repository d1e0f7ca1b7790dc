using VulkanAE.Core;
using static VulkanAE.Core.SpecializationConstant;

namespace VulkanAE.Kernels.Activation;

/// <summary>The activation functions; values match the ACTIVATION_* defines of shaders/include/activation.glsl (checked by ShaderDefinesTests).</summary>
public enum ActivationKind : uint
{
    /// <summary>f(x) = x.</summary>
    Identity = 0,

    /// <summary>f(x) = max(x, 0), NaN kept.</summary>
    Relu = 1,

    /// <summary>f(x) = 1 / (1 + exp(-x)).</summary>
    Sigmoid = 2,

    /// <summary>f(x) = tanh(x).</summary>
    Tanh = 3,
}

/// <summary>Elementwise activations: shaders/activation/activation_{forward,backward}.comp.</summary>
internal static class ActivationKernels
{
    private readonly record struct Push(uint Count);

    private readonly record struct ActivationConstants(uint WorkgroupSize, ActivationKind Kind, bool Vector) : ISpecializationConstants
    {
        public IReadOnlyList<SpecializationConstant> Constants => [Of(0, WorkgroupSize), Of(1, Kind), Of(2, Vector)];
    }

    private static readonly KernelSignature<ActivationConstants> ForwardSignature
        = KernelSignature.Of<Push, ActivationConstants>("activation/activation_forward", Access.Read, Access.Write);
    private static readonly KernelSignature<ActivationConstants> BackwardSignature
        = KernelSignature.Of<Push, ActivationConstants>("activation/activation_backward", Access.Read, Access.Read, Access.Write);

    /// <summary>y = f(x) over the first <paramref name="count"/> elements.</summary>
    public static void Forward(SequenceRecorder r, ActivationKind kind, Tensor x, Tensor y, long count)
    {
        bool vector = LinearDispatch.Vectorizable(count, x, y);
        var kernel = r.Gpu.Kernel(ForwardSignature, new ActivationConstants(LinearDispatch.WorkgroupSize, kind, vector));
        r.Dispatch(kernel, LinearDispatch.Groups(r.Gpu, vector ? count / 4 : count), new Push((uint)count), CommandWork.MovingFloats(2.0 * count), x, y);
    }

    /// <summary>dx = dy * f'(x), from the forward output y.</summary>
    public static void Backward(SequenceRecorder r, ActivationKind kind, Tensor y, Tensor dy, Tensor dx, long count)
    {
        bool vector = LinearDispatch.Vectorizable(count, y, dy, dx);
        var kernel = r.Gpu.Kernel(BackwardSignature, new ActivationConstants(LinearDispatch.WorkgroupSize, kind, vector));
        r.Dispatch(kernel, LinearDispatch.Groups(r.Gpu, vector ? count / 4 : count), new Push((uint)count), CommandWork.MovingFloats(3.0 * count), y, dy, dx);
    }
}

/// <summary>
/// The constants of a kernel that computes an activation's backward on the way to another sum (the
/// bias gradients' fused passes): its 1-D workgroup size (local_size_x_id = 0), KIND (constant_id = 1)
/// and VECTOR (constant_id = 2: vec4 access).
/// </summary>
internal readonly record struct ActivationGradientConstants(uint WorkgroupSize, ActivationKind Kind, bool Vector) : ISpecializationConstants
{
    public IReadOnlyList<SpecializationConstant> Constants => [Of(0, WorkgroupSize), Of(1, Kind), Of(2, Vector)];
}

/// <summary>CPU reference of <see cref="ActivationKernels"/>, the oracle of its tests.</summary>
internal static class ActivationReference
{
    public static float Apply(ActivationKind kind, float x) => kind switch
    {
        ActivationKind.Relu => MathF.Max(x, 0f),
        ActivationKind.Sigmoid => 1f / (1f + MathF.Exp(-x)),
        ActivationKind.Tanh => MathF.Tanh(x),
        _ => x,
    };

    public static float DerivativeFromOutput(ActivationKind kind, float y) => kind switch
    {
        ActivationKind.Relu => y > 0f ? 1f : 0f,
        ActivationKind.Sigmoid => y * (1f - y),
        ActivationKind.Tanh => 1f - y * y,
        _ => 1f,
    };

    public static float[] Forward(ActivationKind kind, ReadOnlySpan<float> x)
    {
        var y = new float[x.Length];
        for (int i = 0; i < x.Length; i++) y[i] = Apply(kind, x[i]);
        return y;
    }

    public static float[] Backward(ActivationKind kind, ReadOnlySpan<float> y, ReadOnlySpan<float> dy)
    {
        var dx = new float[y.Length];
        for (int i = 0; i < y.Length; i++) dx[i] = dy[i] * DerivativeFromOutput(kind, y[i]);
        return dx;
    }
}
