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

    /// <summary>
    /// The dispatch of a row-sum kernel (shaders/reduce/row_sum.glsl) over <paramref name="rows"/> rows summed by
    /// <paramref name="reduction"/>, or by this device's default when it is null.
    /// </summary>
    public static RowSumLaunch Launch(Gpu gpu, RowReduction? reduction, long rows)
        => (reduction ?? Default(gpu)) == RowReduction.Workgroup
            // The shader loops over rows beyond the device's dispatch limit.
            ? new(ReductionKernels.CheckedPowerOfTwo(ReductionKernels.WorkgroupSize(gpu)), ((uint)Math.Min(rows, Math.Min(gpu.Info.MaxWorkGroupCountX, 65535u)), 1u, 1u), true)
            : new(LinearDispatch.WorkgroupSize, LinearDispatch.Groups(gpu, rows), false);
}

/// <summary>
/// A row-sum kernel's workgroup size, its dispatch's workgroup count, and its ONE_WORKGROUP_PER_ROW
/// specialization constant.
/// </summary>
internal readonly record struct RowSumLaunch(uint WorkgroupSize, (uint X, uint Y, uint Z) Groups, bool OneWorkgroupPerRow);
