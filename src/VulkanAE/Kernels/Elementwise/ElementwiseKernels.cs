using VulkanAE.Core;

namespace VulkanAE.Kernels.Elementwise;

/// <summary>Elementwise arithmetic: shaders/elementwise/*.comp.</summary>
internal static class ElementwiseKernels
{
    private readonly record struct Push(uint Count);

    private static readonly KernelSignature<WorkgroupConstants> AddSignature
        = KernelSignature.Of<Push, WorkgroupConstants>("elementwise/add", Access.Read, Access.Read, Access.Write);

    /// <summary>sum = a + b over the first <paramref name="count"/> elements.</summary>
    public static void Add(SequenceRecorder r, Tensor a, Tensor b, Tensor sum, long count)
    {
        var kernel = r.Gpu.Kernel(AddSignature, new WorkgroupConstants(LinearDispatch.WorkgroupSize));
        r.Dispatch(kernel, LinearDispatch.Groups(r.Gpu, count), new Push((uint)count), new CommandWork(count, 12.0 * count), a, b, sum);
    }
}

/// <summary>CPU reference of <see cref="ElementwiseKernels"/>.</summary>
internal static class ElementwiseReference
{
    public static float[] Add(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = new float[a.Length];
        for (int i = 0; i < a.Length; i++) sum[i] = a[i] + b[i];
        return sum;
    }
}
