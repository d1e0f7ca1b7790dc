using VulkanAE.Core;

namespace VulkanAE.Kernels.Elementwise;

/// <summary>Elementwise arithmetic: shaders/elementwise/*.comp.</summary>
internal static class ElementwiseKernels
{
    private readonly record struct Push(uint Count);
    private readonly record struct RepeatPush(uint Count, uint Period);

    private static readonly KernelSignature<WorkgroupConstants> AddSignature
        = KernelSignature.Of<Push, WorkgroupConstants>("elementwise/add", Access.Read, Access.Read, Access.Write);
    private static readonly KernelSignature<WorkgroupConstants> RepeatSignature
        = KernelSignature.Of<RepeatPush, WorkgroupConstants>("elementwise/repeat", Access.Read, Access.Write);

    /// <summary>sum = a + b over the first <paramref name="count"/> elements.</summary>
    public static void Add(SequenceRecorder r, Tensor a, Tensor b, Tensor sum, long count)
    {
        var kernel = r.Gpu.Kernel(AddSignature, new WorkgroupConstants(LinearDispatch.WorkgroupSize));
        r.Dispatch(kernel, LinearDispatch.Groups(r.Gpu, count), new Push((uint)count), new CommandWork(count, 12.0 * count), a, b, sum);
    }

    /// <summary>tiled[i] = source[i % period] for i &lt; count: the first <paramref name="period"/> elements of source, repeated.</summary>
    public static void Repeat(SequenceRecorder r, Tensor source, Tensor tiled, long count, long period)
    {
        if (count < 1 || count > uint.MaxValue || period < 1 || period > count)
            throw new ArgumentOutOfRangeException(nameof(count), $"Repeat: {period} elements repeated to {count}");
        if (source.Length < period) throw new ArgumentException($"Repeat: {source} is shorter than the period {period}");
        if (tiled.Length < count) throw new ArgumentException($"Repeat: {tiled} is shorter than {count}");
        var kernel = r.Gpu.Kernel(RepeatSignature, new WorkgroupConstants(LinearDispatch.WorkgroupSize));
        r.Dispatch(kernel, LinearDispatch.Groups(r.Gpu, count), new RepeatPush((uint)count, (uint)period), CommandWork.MovingFloats(2.0 * count), source, tiled);
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

    public static float[] Repeat(ReadOnlySpan<float> source, int count, int period)
    {
        var tiled = new float[count];
        for (int i = 0; i < count; i++) tiled[i] = source[i % period];
        return tiled;
    }
}
