using VulkanAE.Core;
using static VulkanAE.Core.SpecializationConstant;

namespace VulkanAE.Kernels.Pool;

/// <summary>
/// Spatial down- and upsampling of NCHW tensors (row-major): 2x2 stride-2 max pooling
/// (shaders/pool/max_pool_2x2_*.comp, with the window logic in max_pool_2x2.glsl) and
/// nearest-neighbour 2x upsampling (shaders/pool/upsample_2x_*.comp). Shapes are those of the
/// pooling or upsampling input: [batch, channels, height, width].
/// </summary>
internal static class PoolKernels
{
    private readonly record struct Push(uint Planes, uint Height, uint Width);

    /// <summary>EVEN_SHAPE of max_pool_2x2.glsl: both sides even, so every window is whole.</summary>
    private readonly record struct MaxPoolConstants(uint WorkgroupSize, bool EvenShape) : ISpecializationConstants
    {
        public IReadOnlyList<SpecializationConstant> Constants => [Of(0, WorkgroupSize), Of(1, EvenShape)];
    }

    private static readonly KernelSignature<MaxPoolConstants> MaxPoolForwardSignature
        = KernelSignature.Of<Push, MaxPoolConstants>("pool/max_pool_2x2_forward", Access.Read, Access.Write);
    private static readonly KernelSignature<MaxPoolConstants> MaxPoolBackwardSignature
        = KernelSignature.Of<Push, MaxPoolConstants>("pool/max_pool_2x2_backward", Access.Read, Access.Read, Access.Write);
    private static readonly KernelSignature<WorkgroupConstants> UpsampleForwardSignature
        = KernelSignature.Of<Push, WorkgroupConstants>("pool/upsample_2x_forward", Access.Read, Access.Write);
    private static readonly KernelSignature<WorkgroupConstants> UpsampleBackwardSignature
        = KernelSignature.Of<Push, WorkgroupConstants>("pool/upsample_2x_backward", Access.Read, Access.Write);

    /// <summary>
    /// output [batch, channels, height / 2, width / 2] (rounded down, as PyTorch's default) = the maximum of each 2x2 window.
    /// No arg-max indices are stored: <see cref="MaxPool2x2Backward"/> recomputes them from the input (see max_pool_2x2.glsl for why).
    /// </summary>
    public static void MaxPool2x2Forward(SequenceRecorder r, Tensor input, Tensor output, int batch, int channels, int height, int width)
    {
        var push = CheckMaxPool("MaxPool2x2Forward", batch, channels, height, width, output, input);
        long windows = (long)push.Planes * (height / 2) * (width / 2);
        Dispatch(r, MaxPoolForwardSignature, MaxPoolConstantsFor(height, width), push, windows, (double)push.Planes * height * width + windows,
            input, output);
    }

    /// <summary>
    /// inputGrad [batch, channels, height, width] = outputGrad routed to each window's arg-max (the first maximum in
    /// row-major window order on ties, as PyTorch), 0 elsewhere, including an odd last row or column. Overwrites inputGrad.
    /// </summary>
    public static void MaxPool2x2Backward(SequenceRecorder r, Tensor input, Tensor outputGrad, Tensor inputGrad,
        int batch, int channels, int height, int width)
    {
        var push = CheckMaxPool("MaxPool2x2Backward", batch, channels, height, width, outputGrad, input, inputGrad);
        long windows = (long)push.Planes * (height / 2) * (width / 2);
        Dispatch(r, MaxPoolBackwardSignature, MaxPoolConstantsFor(height, width), push, windows, 2.0 * push.Planes * height * width + windows,
            input, outputGrad, inputGrad);
    }

    /// <summary>output [batch, channels, 2 height, 2 width]: each input element repeated in a 2x2 block.</summary>
    public static void Upsample2xForward(SequenceRecorder r, Tensor input, Tensor output, int batch, int channels, int height, int width)
    {
        var push = CheckUpsample("Upsample2xForward", batch, channels, height, width, input, output);
        long elements = (long)push.Planes * height * width;
        Dispatch(r, UpsampleForwardSignature, new WorkgroupConstants(LinearDispatch.WorkgroupSize), push, elements, 5.0 * elements, input, output);
    }

    /// <summary>inputGrad [batch, channels, height, width] = the sum of the 2x2 block of outputGrad above each element, in row-major order. Overwrites inputGrad.</summary>
    public static void Upsample2xBackward(SequenceRecorder r, Tensor outputGrad, Tensor inputGrad, int batch, int channels, int height, int width)
    {
        var push = CheckUpsample("Upsample2xBackward", batch, channels, height, width, inputGrad, outputGrad);
        long elements = (long)push.Planes * height * width;
        Dispatch(r, UpsampleBackwardSignature, new WorkgroupConstants(LinearDispatch.WorkgroupSize), push, elements, 5.0 * elements,
            outputGrad, inputGrad);
    }

    private static MaxPoolConstants MaxPoolConstantsFor(int height, int width)
        => new(LinearDispatch.WorkgroupSize, EvenShape: height % 2 == 0 && width % 2 == 0);

    private static void Dispatch<TConstants>(SequenceRecorder r, KernelSignature<TConstants> signature, TConstants constants, Push push,
        long invocations, double floatsMoved, params Tensor[] tensors) where TConstants : struct, ISpecializationConstants
    {
        var kernel = r.Gpu.Kernel(signature, constants);
        r.Dispatch(kernel, LinearDispatch.Groups(r.Gpu, invocations), push, CommandWork.MovingFloats(floatsMoved), tensors);
    }

    private static Push CheckMaxPool(string kernel, int batch, int channels, int height, int width, Tensor output, params Tensor[] inputShaped)
    {
        if (height < 2 || width < 2)
            throw new ArgumentOutOfRangeException(nameof(height), $"{kernel}: a {height}x{width} input has no complete 2x2 window");
        var push = CheckShape(kernel, batch, channels, height, width, 1);
        foreach (var tensor in inputShaped) CheckLength(kernel, tensor, (long)push.Planes * height * width);
        CheckLength(kernel, output, (long)push.Planes * (height / 2) * (width / 2));
        return push;
    }

    private static Push CheckUpsample(string kernel, int batch, int channels, int height, int width, Tensor input, Tensor output)
    {
        var push = CheckShape(kernel, batch, channels, height, width, 4);
        CheckLength(kernel, input, (long)push.Planes * height * width);
        CheckLength(kernel, output, 4L * push.Planes * height * width);
        return push;
    }

    /// <summary>The shaders index with 32-bit integers: the largest tensor (<paramref name="growth"/> times the input) must fit.</summary>
    private static Push CheckShape(string kernel, int batch, int channels, int height, int width, long growth)
    {
        if (batch <= 0 || channels <= 0 || height <= 0 || width <= 0)
            throw new ArgumentOutOfRangeException(nameof(batch), $"{kernel}: shape [{batch}, {channels}, {height}, {width}] must be positive");
        long planes = (long)batch * channels;
        if (growth * planes * height * width > uint.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(batch), $"{kernel}: [{batch}, {channels}, {height}, {width}] is too large for 32-bit indices");
        return new Push((uint)planes, (uint)height, (uint)width);
    }

    private static void CheckLength(string kernel, Tensor tensor, long elements)
    {
        if (tensor.Length < elements) throw new ArgumentException($"{kernel}: {tensor} has {tensor.Length} elements, the shape needs {elements}");
    }
}

/// <summary>CPU reference of <see cref="PoolKernels"/>; planes = batch * channels, NCHW row-major.</summary>
internal static class PoolReference
{
    /// <summary>Index of the maximum of window (plane, oh, ow): row-major scan, strictly larger or NaN replaces (PyTorch's rule).</summary>
    public static int WindowArgmax(ReadOnlySpan<float> input, int plane, int oh, int ow, int height, int width)
    {
        int topLeft = (plane * height + 2 * oh) * width + 2 * ow;
        int best = topLeft;
        foreach (int candidate in new[] { topLeft + 1, topLeft + width, topLeft + width + 1 })
            if (input[candidate] > input[best] || float.IsNaN(input[candidate])) best = candidate;
        return best;
    }

    public static float[] MaxPool2x2Forward(ReadOnlySpan<float> input, int planes, int height, int width)
    {
        int outHeight = height / 2, outWidth = width / 2;
        var output = new float[planes * outHeight * outWidth];
        for (int plane = 0; plane < planes; plane++)
            for (int oh = 0; oh < outHeight; oh++)
                for (int ow = 0; ow < outWidth; ow++)
                    output[(plane * outHeight + oh) * outWidth + ow] = input[WindowArgmax(input, plane, oh, ow, height, width)];
        return output;
    }

    public static float[] MaxPool2x2Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGrad, int planes, int height, int width)
    {
        int outHeight = height / 2, outWidth = width / 2;
        var inputGrad = new float[planes * height * width];
        for (int plane = 0; plane < planes; plane++)
            for (int oh = 0; oh < outHeight; oh++)
                for (int ow = 0; ow < outWidth; ow++)
                    inputGrad[WindowArgmax(input, plane, oh, ow, height, width)] = outputGrad[(plane * outHeight + oh) * outWidth + ow];
        return inputGrad;
    }

    public static float[] Upsample2xForward(ReadOnlySpan<float> input, int planes, int height, int width)
    {
        var output = new float[4 * planes * height * width];
        for (int row = 0; row < 2 * planes * height; row++)
            for (int ow = 0; ow < 2 * width; ow++)
                output[row * 2 * width + ow] = input[row / 2 * width + ow / 2];
        return output;
    }

    /// <summary>Accumulates each output gradient into its parent in row-major output order, as PyTorch does.</summary>
    public static float[] Upsample2xBackward(ReadOnlySpan<float> outputGrad, int planes, int height, int width)
    {
        var inputGrad = new float[planes * height * width];
        for (int row = 0; row < 2 * planes * height; row++)
            for (int ow = 0; ow < 2 * width; ow++)
                inputGrad[row / 2 * width + ow / 2] += outputGrad[row * 2 * width + ow];
        return inputGrad;
    }
}
