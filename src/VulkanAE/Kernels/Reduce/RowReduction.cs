using VulkanAE.Core;

namespace VulkanAE.Kernels.Reduce;

/// <summary>
/// How a kernel that sums each row of a [rows, cols] array (a loss, a log weight) does it; both
/// are deterministic (a fixed order, no atomics).
/// </summary>
internal enum RowReduction
{
    /// <summary>One invocation per row adds the row's terms in order.</summary>
    Invocation,

    /// <summary>One workgroup per row: invocation k adds terms k, k + W, ..., then workgroup_sum's fixed tree.</summary>
    Workgroup,
}

internal static class RowReductions
{
    /// <summary>
    /// One workgroup per row on a GPU. On a CPU driver one invocation per row: there each barrier of
    /// the workgroup's sum tree switches between its invocations, which costs more than the row's
    /// arithmetic. Measured on lavapipe (AMD EPYC, 2 cores; `vae bench --suite iw`): fc-vae's
    /// 1000 rows of 784 pixels of the IWAE log weight took 51.7 ms a dispatch with a workgroup of 64
    /// per row against 3.8 ms with an invocation per row.
    /// </summary>
    public static RowReduction Default(Gpu gpu) => gpu.Info.IsCpu ? RowReduction.Invocation : RowReduction.Workgroup;

    /// <summary>The workgroup size and the dispatch's workgroup count for <paramref name="rows"/> rows summed by <paramref name="reduction"/>.</summary>
    public static (uint WorkgroupSize, (uint X, uint Y, uint Z) Groups) Launch(Gpu gpu, RowReduction reduction, long rows)
        => reduction == RowReduction.Workgroup
            // The shader loops over rows beyond the device's dispatch limit.
            ? (ReductionKernels.CheckedPowerOfTwo(ReductionKernels.WorkgroupSize(gpu)), ((uint)Math.Min(rows, Math.Min(gpu.Info.MaxWorkGroupCountX, 65535u)), 1u, 1u))
            : (LinearDispatch.WorkgroupSize, LinearDispatch.Groups(gpu, rows));
}
