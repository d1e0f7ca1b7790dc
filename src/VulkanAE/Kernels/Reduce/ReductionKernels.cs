using System.Numerics;
using VulkanAE.Core;

namespace VulkanAE.Kernels.Reduce;

/// <summary>Deterministic sums: shaders/reduce/accumulate_sum.comp and shaders/reduce/workgroup_sum.glsl.</summary>
internal static class ReductionKernels
{
    private readonly record struct Push(uint Count);

    private static readonly KernelSignature<WorkgroupConstants> AccumulateSumSignature
        = KernelSignature.Of<Push, WorkgroupConstants>("reduce/accumulate_sum", Access.Read, Access.ReadWrite);

    /// <summary>
    /// Workgroup size of the kernels that end in workgroup_sum (a power of two). Barriers are
    /// expensive on a CPU driver (lavapipe runs a workgroup as one thread, 8 lanes wide), so a
    /// smaller tree there; on a GPU, 256 keeps every warp or wavefront full.
    /// </summary>
    public static uint WorkgroupSize(Gpu gpu) => gpu.Info.IsCpu ? 64u : 256u;

    /// <summary>
    /// total[0] += values[0] + ... + values[count - 1], summed in a fixed order (see
    /// <see cref="ReductionReference.AccumulateSum"/>), so the host can keep a running total on the
    /// device and read it once.
    /// </summary>
    public static void AccumulateSum(SequenceRecorder r, Tensor values, int count, Tensor total)
    {
        if (count <= 0 || count > values.Length)
            throw new ArgumentOutOfRangeException(nameof(count), $"AccumulateSum: count {count} is outside 1..{values.Length} ({values})");
        uint workgroupSize = WorkgroupSize(r.Gpu);
        var kernel = r.Gpu.Kernel(AccumulateSumSignature, new WorkgroupConstants(CheckedPowerOfTwo(workgroupSize)));
        r.Dispatch(kernel, (1, 1, 1), new Push((uint)count), new CommandWork(count, 4.0 * (count + 2)), values, total);
    }

    /// <summary>The workgroup_sum tree halves the workgroup at each level, so its size must be a power of two.</summary>
    internal static uint CheckedPowerOfTwo(uint workgroupSize)
        => BitOperations.IsPow2(workgroupSize) ? workgroupSize
            : throw new ArgumentException($"workgroup_sum needs a power-of-two workgroup size, got {workgroupSize}");
}

/// <summary>CPU reference of <see cref="ReductionKernels"/>: the same float additions in the same order, so bit-exact.</summary>
internal static class ReductionReference
{
    /// <summary>
    /// The sum of accumulate_sum.comp: lane k sums elements k, k + W, ... in order, then the W
    /// lane sums are added pairwise at strides W/2, W/4, ..., 1 (workgroup_sum.glsl).
    /// </summary>
    public static float Sum(ReadOnlySpan<float> values, uint workgroupSize)
    {
        var partials = new float[workgroupSize];
        for (int lane = 0; lane < workgroupSize; lane++)
            for (int i = lane; i < values.Length; i += (int)workgroupSize)
                partials[lane] += values[i];
        return TreeSum(partials);
    }

    /// <summary>workgroup_sum.glsl: adds partials[k + stride] into partials[k] for stride = W/2, W/4, ..., 1.</summary>
    public static float TreeSum(float[] partials)
    {
        for (int stride = partials.Length / 2; stride > 0; stride /= 2)
            for (int lane = 0; lane < stride; lane++)
                partials[lane] += partials[lane + stride];
        return partials[0];
    }

    public static float AccumulateSum(float total, ReadOnlySpan<float> values, uint workgroupSize) => total + Sum(values, workgroupSize);
}
