using VulkanAE.Core;
using VulkanAE.Kernels.Activation;
using VulkanAE.Kernels.Reduce;

namespace VulkanAE.Kernels.Conv;

/// <summary>
/// The bias gradient of a convolution over its output gradient g, NCHW: dbias[c] = sum over n, y, x
/// of g[n, c, y, x], one workgroup per channel adding in a fixed order, by vec4s when the images have
/// a multiple of 4 pixels (shaders/conv/conv_bias_gradient.comp),
/// or, through an activation that follows the convolution, that sum of dz = dy * f'(y), with dz
/// written on the way (shaders/conv/conv_bias_activation_gradient.comp).
/// </summary>
internal static class ConvBiasGradient
{
    private readonly record struct Push(uint Batch, uint Channels, uint Pixels);

    private static readonly KernelSignature<VectorConstants> Signature
        = KernelSignature.Of<Push, VectorConstants>("conv/conv_bias_gradient", Access.Read, Access.Write);
    private static readonly KernelSignature<ActivationGradientConstants> ActivationSignature = KernelSignature.Of<Push, ActivationGradientConstants>(
        "conv/conv_bias_activation_gradient", Access.Read, Access.Read, Access.Write, Access.Write);

    /// <summary>dbias[c] = sum over n, y, x of gradient[n, c, y, x], in a fixed order.</summary>
    public static void Record(SequenceRecorder r, Tensor gradient, Tensor biasGradient, int batch, int channels, int pixels)
    {
        var kernel = r.Gpu.Kernel(Signature, new VectorConstants(WorkgroupSize(r.Gpu), LinearDispatch.Vectorizable(pixels, gradient)));
        double elements = (double)batch * channels * pixels;
        r.Dispatch(kernel, ((uint)channels, 1, 1), new Push((uint)batch, (uint)channels, (uint)pixels),
            new CommandWork(elements, 4.0 * (elements + channels)), gradient, biasGradient);
    }

    /// <summary>dz = dy * f'(y) from the activation's output y, and dbias[c] = sum over n, y, x of dz[n, c, y, x], in one pass.</summary>
    public static void RecordThroughActivation(SequenceRecorder r, ActivationKind kind, Tensor activationOutput, Tensor activationOutputGradient,
        Tensor gradient, Tensor biasGradient, int batch, int channels, int pixels)
    {
        bool vector = LinearDispatch.Vectorizable(pixels, activationOutput, activationOutputGradient, gradient);
        var kernel = r.Gpu.Kernel(ActivationSignature, new ActivationGradientConstants(WorkgroupSize(r.Gpu), kind, vector));
        double elements = (double)batch * channels * pixels;
        r.Dispatch(kernel, ((uint)channels, 1, 1), new Push((uint)batch, (uint)channels, (uint)pixels),
            new CommandWork(3.0 * elements, 4.0 * (3.0 * elements + channels)), activationOutput, activationOutputGradient, gradient, biasGradient);
    }

    private static uint WorkgroupSize(Gpu gpu) => ReductionKernels.CheckedPowerOfTwo(ReductionKernels.WorkgroupSize(gpu));
}
