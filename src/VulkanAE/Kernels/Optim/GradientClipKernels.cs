using VulkanAE.Core;
using VulkanAE.Kernels.Reduce;

namespace VulkanAE.Kernels.Optim;

/// <summary>
/// Global gradient-norm clipping, torch.nn.utils.clip_grad_norm_, on the device in two passes:
/// shaders/optim/gradient_norm_partials.comp (a sum of squares per workgroup) and
/// shaders/optim/gradient_clip_scale.comp (one workgroup adds them, takes the root and the clip
/// factor). Both add in a fixed order, without atomics: the same gradients give the same bits on
/// every run. The factor goes into the training state; Adam applies it (AdamKernels.Step with
/// clippedGradients), so clipping adds two dispatches and no pass over the gradients' memory.
/// </summary>
internal static class GradientClipKernels
{
    /// <summary>Elements each invocation of the first pass sums, at least, before the workgroup's tree.</summary>
    private const long ElementsPerInvocation = 64;

    /// <summary>Workgroups of the first pass at most: enough to fill any GPU, few enough for one workgroup to add.</summary>
    private const long MaxPartials = 1024;

    private readonly record struct PartialsPush(uint Count);

    private readonly record struct ScalePush(uint Count, float MaxNorm);

    private static readonly KernelSignature<VectorConstants> PartialsSignature
        = KernelSignature.Of<PartialsPush, VectorConstants>("optim/gradient_norm_partials", Access.Read, Access.Write);

    private static readonly KernelSignature<WorkgroupConstants> ScaleSignature
        = KernelSignature.Of<ScalePush, WorkgroupConstants>("optim/gradient_clip_scale", Access.Read, Access.Write);

    /// <summary>
    /// Workgroups of the first pass over <paramref name="count"/> gradients, and so the length of
    /// the partial-sums tensor <see cref="RecordScale"/> needs. It depends on the count and the
    /// device's workgroup size only, which fixes the order of the additions.
    /// </summary>
    public static int PartialCount(Gpu gpu, long count)
    {
        long perWorkgroup = ReductionKernels.WorkgroupSize(gpu) * ElementsPerInvocation;
        return (int)Math.Clamp((count + perWorkgroup - 1) / perWorkgroup, 1, MaxPartials);
    }

    /// <summary>
    /// Records the global norm of the first <paramref name="count"/> gradients and the factor
    /// min(<paramref name="maxNorm"/> / (norm + 1e-6), 1) into the training state
    /// (STATE_GRADIENT_NORM and STATE_GRADIENT_SCALE), using <paramref name="partials"/>
    /// (<see cref="PartialCount"/> elements) in between.
    /// </summary>
    public static void RecordScale(SequenceRecorder r, Tensor gradients, Tensor partials, Tensor trainingState, long count, float maxNorm)
    {
        if (!(maxNorm > 0) || float.IsPositiveInfinity(maxNorm))
            throw new ArgumentOutOfRangeException(nameof(maxNorm), $"gradient clipping: the maximum norm must be positive and finite, got {maxNorm}");
        if (count <= 0 || count > gradients.Length || count > uint.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(count), $"gradient clipping: count {count} is outside 1..{gradients.Length} ({gradients})");
        int groups = PartialCount(r.Gpu, count);
        if (partials.Length < groups) throw new ArgumentException($"gradient clipping: {partials} is shorter than the {groups} partial sums");
        uint workgroupSize = ReductionKernels.CheckedPowerOfTwo(ReductionKernels.WorkgroupSize(r.Gpu));
        bool vector = LinearDispatch.Vectorizable(count, gradients);
        var sumOfSquares = r.Gpu.Kernel(PartialsSignature, new VectorConstants(workgroupSize, vector));
        r.Dispatch(sumOfSquares, ((uint)groups, 1, 1), new PartialsPush((uint)count), new CommandWork(2.0 * count, 4.0 * (count + groups)),
            gradients, partials);
        var scale = r.Gpu.Kernel(ScaleSignature, new WorkgroupConstants(workgroupSize));
        r.Dispatch(scale, (1, 1, 1), new ScalePush((uint)groups, maxNorm), partials, trainingState);
    }
}

/// <summary>
/// CPU reference of <see cref="GradientClipKernels"/>: the same float operations in the same order
/// as the two shaders, so the partial sums agree bit for bit; the root and the division may differ
/// from a GPU's by an ulp or two (Vulkan does not require them correctly rounded).
/// </summary>
internal static class GradientClipReference
{
    /// <summary>
    /// gradient_norm_partials.comp with <paramref name="groups"/> workgroups of
    /// <paramref name="workgroupSize"/> invocations: invocation l of workgroup w sums g[i]^2 for
    /// i = w W + l, then + G W, ... (for vec4s when <paramref name="vector"/>: one sum per component,
    /// then (x + y) + (z + w)); each workgroup's sums are added by workgroup_sum's tree.
    /// </summary>
    public static float[] Partials(ReadOnlySpan<float> gradients, uint workgroupSize, int groups, bool vector)
    {
        int width = vector ? 4 : 1, items = gradients.Length / width, stride = groups * (int)workgroupSize;
        var partials = new float[groups];
        var invocationSums = new float[workgroupSize];
        var componentSums = new float[width];
        for (int w = 0; w < groups; w++)
        {
            for (int l = 0; l < workgroupSize; l++)
            {
                Array.Clear(componentSums);
                for (int item = w * (int)workgroupSize + l; item < items; item += stride)
                    for (int c = 0; c < width; c++)
                    {
                        float g = gradients[item * width + c];
                        float square = g * g;
                        componentSums[c] += square;
                    }
                invocationSums[l] = vector ? (componentSums[0] + componentSums[1]) + (componentSums[2] + componentSums[3]) : componentSums[0];
            }
            partials[w] = ReductionReference.TreeSum(invocationSums);
        }
        return partials;
    }

    /// <summary>gradient_clip_scale.comp: the norm from the partial sums, and clip_grad_norm_'s clamped factor.</summary>
    public static (float Norm, float Scale) Scale(ReadOnlySpan<float> partials, uint workgroupSize, float maxNorm)
    {
        float norm = MathF.Sqrt(ReductionReference.Sum(partials, workgroupSize));
        return (norm, MathF.Min(maxNorm / (norm + 1e-6f), 1f));
    }
}
