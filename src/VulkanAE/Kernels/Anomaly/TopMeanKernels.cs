using VulkanAE.Core;
using VulkanAE.Kernels.Reduce;

namespace VulkanAE.Kernels.Anomaly;

/// <summary>
/// The mean of the largest values of each row (shaders/anomaly/top_mean.comp): one workgroup per row, a radix
/// select of the count-th largest value, then deterministic sums (shaders/reduce/workgroup_sum.glsl). Count 1
/// gives the maximum, count = length the mean.
/// </summary>
internal static class TopMeanKernels
{
    private readonly record struct Push(uint Rows, uint Length, uint Count);

    private static readonly KernelSignature<WorkgroupConstants> Signature
        = KernelSignature.Of<Push, WorkgroupConstants>("anomaly/top_mean", Access.Read, Access.Write);

    /// <summary>A dispatch's workgroup count in x: every device allows at least 65,535.</summary>
    public const int MaxRows = 65535;

    /// <summary>means [rows] = the mean of the <paramref name="count"/> largest of each row of values [rows, length].</summary>
    public static void TopMean(SequenceRecorder r, Tensor values, Tensor means, int rows, int length, int count)
    {
        if (rows <= 0 || rows > MaxRows || length <= 0 || count <= 0 || count > length || length >= 1 << 24)
            throw new ArgumentOutOfRangeException(nameof(count), $"TopMean: rows {rows} (1..{MaxRows}), length {length} (below 2^24) and count {count} (1..length)");
        if (values.Length < (long)rows * length) throw new ArgumentException($"TopMean: {values} has {values.Length} elements, [{rows}, {length}] needs {(long)rows * length}");
        if (means.Length < rows) throw new ArgumentException($"TopMean: {means} has {means.Length} elements, {rows} rows need {rows}");
        uint workgroupSize = ReductionKernels.CheckedPowerOfTwo(ReductionKernels.WorkgroupSize(r.Gpu));
        var kernel = r.Gpu.Kernel(Signature, new WorkgroupConstants(workgroupSize));
        // 32 counting passes over each row, and one summing pass.
        r.Dispatch(kernel, ((uint)rows, 1, 1), new Push((uint)rows, (uint)length, (uint)count),
            new CommandWork(33.0 * rows * length, 4.0 * 33 * rows * length), values, means);
    }
}

/// <summary>CPU reference of <see cref="TopMeanKernels"/>: sorts each row, and sums its largest values in the shader's order, so bit-exact.</summary>
internal static class TopMeanReference
{
    public static float[] TopMean(ReadOnlySpan<float> values, int rows, int length, int count, uint workgroupSize)
    {
        var means = new float[rows];
        for (int row = 0; row < rows; row++)
        {
            var slice = values.Slice(row * length, length).ToArray();
            var sorted = slice.OrderDescending().ToArray();
            float threshold = sorted[count - 1];
            // The shader adds the values above the threshold lane by lane in index order, then adds the ties.
            var above = slice.Select(v => v > threshold ? v : 0f).ToArray();
            int aboveCount = slice.Count(v => v > threshold);
            means[row] = (ReductionReference.Sum(above, workgroupSize) + (count - aboveCount) * threshold) / count;
        }
        return means;
    }
}
