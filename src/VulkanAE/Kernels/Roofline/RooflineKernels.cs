using VulkanAE.Core;
using static VulkanAE.Core.SpecializationConstant;

namespace VulkanAE.Kernels.Roofline;

/// <summary>
/// The two kernels that measure a device's ceilings: independent FMA chains
/// (shaders/roofline/fma_chains.comp) and a vec4 copy (shaders/roofline/copy.comp).
/// </summary>
internal static class RooflineKernels
{
    private readonly record struct ChainsPush(uint Invocations, uint Steps, float Scale);
    private readonly record struct CopyPush(uint Count);

    private readonly record struct ChainsConstants(uint WorkgroupSize, uint Chains, uint StepsPerIteration) : ISpecializationConstants
    {
        public IReadOnlyList<SpecializationConstant> Constants => [Of(0, WorkgroupSize), Of(1, Chains), Of(2, StepsPerIteration)];
    }

    private static readonly KernelSignature<ChainsConstants> ChainsSignature
        = KernelSignature.Of<ChainsPush, ChainsConstants>("roofline/fma_chains", Access.Read, Access.Write);
    private static readonly KernelSignature<WorkgroupConstants> CopySignature
        = KernelSignature.Of<CopyPush, WorkgroupConstants>("roofline/copy", Access.Read, Access.Write);

    /// <summary>Floating-point operations of one <see cref="FmaChains"/> dispatch: an FMA is 2.</summary>
    public static double ChainFlops(long invocations, int steps, int chains) => 2.0 * 4 * chains * steps * invocations;

    /// <summary>
    /// result[i] = the sum of invocation i's <paramref name="chains"/> vec4 chains after
    /// <paramref name="steps"/> steps of x = fma(x, scale, offsets[c]); offsets holds one value per
    /// chain. The loop runs <paramref name="stepsPerIteration"/> steps per iteration.
    /// </summary>
    public static void FmaChains(SequenceRecorder r, Tensor offsets, Tensor result, long invocations, int steps, int chains, int stepsPerIteration,
        float scale, uint workgroupSize)
    {
        if (offsets.Length < chains) throw new ArgumentException($"fma chains: {offsets} needs one offset per chain ({chains})");
        if (result.Length < invocations) throw new ArgumentException($"fma chains: {result} needs {invocations} elements");
        var kernel = r.Gpu.Kernel(ChainsSignature, new ChainsConstants(workgroupSize, (uint)chains, (uint)stepsPerIteration));
        uint groups = (uint)((invocations + workgroupSize - 1) / workgroupSize);
        if (groups > r.Gpu.Info.MaxWorkGroupCountX)
            throw new ArgumentException($"fma chains: {invocations} invocations need {groups} workgroups of {workgroupSize}, over this device's {r.Gpu.Info.MaxWorkGroupCountX}");
        r.Dispatch(kernel, (groups, 1u, 1u), new ChainsPush((uint)invocations, (uint)steps, scale),
            new CommandWork(ChainFlops(invocations, steps, chains), 4.0 * invocations), offsets, result);
    }

    /// <summary>destination = source through a shader, four floats per access; both lengths must be multiples of 4.</summary>
    public static void Copy(SequenceRecorder r, Tensor source, Tensor destination)
    {
        if (source.Length % 4 != 0 || destination.Length < source.Length)
            throw new ArgumentException($"shader copy {source} -> {destination}: the source length must be a multiple of 4 and fit the destination");
        var kernel = r.Gpu.Kernel(CopySignature, new WorkgroupConstants(LinearDispatch.WorkgroupSize));
        r.Dispatch(kernel, LinearDispatch.Groups(r.Gpu, source.Length / 4), new CopyPush((uint)(source.Length / 4)),
            CommandWork.Moving(2.0 * source.SizeBytes), source, destination);
    }
}

/// <summary>CPU reference of <see cref="RooflineKernels.FmaChains"/>, the same operations in the same order.</summary>
internal static class RooflineReference
{
    public static float[] FmaChains(ReadOnlySpan<float> offsets, long invocations, int steps, int chains, float scale)
    {
        var result = new float[invocations];
        for (long i = 0; i < invocations; i++)
        {
            float sum = 0f;
            for (int c = 0; c < chains; c++)
            {
                float[] x = [i % 61 * 0.125f, c * 0.125f, i % 7 * 0.125f, 0.125f];
                for (int s = 0; s < steps; s++)
                    for (int e = 0; e < 4; e++) x[e] = MathF.FusedMultiplyAdd(x[e], scale, offsets[c]);
                sum += x[0] + x[1] + x[2] + x[3];
            }
            result[i] = sum;
        }
        return result;
    }
}
