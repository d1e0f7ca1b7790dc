using VulkanAE.Core;

namespace VulkanAE.Kernels;

/// <summary>Workgroup count for the 1-D grid-stride kernels (GRID_STRIDE_LOOP in common.glsl).</summary>
internal static class LinearDispatch
{
    /// <summary>256 invocations per workgroup: measured best for elementwise work on lavapipe and a multiple of every GPU's subgroup.</summary>
    public const uint WorkgroupSize = 256;

    /// <summary>
    /// True when a kernel may handle four elements per invocation through vec4 views (the VECTOR
    /// specialization constant of common.glsl): the count and every tensor length are multiples of 4.
    /// </summary>
    public static bool Vectorizable(long count, params Tensor[] tensors) => count % 4 == 0 && tensors.All(t => t.Length % 4 == 0);

    public static (uint X, uint Y, uint Z) Groups(Gpu gpu, long count)
    {
        long groups = (count + WorkgroupSize - 1) / WorkgroupSize;
        return ((uint)Math.Clamp(groups, 1, Math.Min(gpu.Info.MaxWorkGroupCountX, 65535)), 1, 1);
    }
}

/// <summary>
/// The constants of a 1-D kernel with vec4 views: its workgroup size (local_size_x_id = 0) and
/// VECTOR (constant_id = 1; see <see cref="LinearDispatch.Vectorizable"/>).
/// </summary>
internal readonly record struct VectorConstants(uint WorkgroupSize, bool Vector) : ISpecializationConstants
{
    public IReadOnlyList<SpecializationConstant> Constants => [SpecializationConstant.Of(0, WorkgroupSize), SpecializationConstant.Of(1, Vector)];
}
