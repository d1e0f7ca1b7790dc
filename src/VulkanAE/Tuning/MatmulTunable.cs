using VulkanAE.Benchmarks;
using VulkanAE.Core;
using VulkanAE.Kernels.Dense;

namespace VulkanAE.Tuning;

/// <summary>What a matmul runs: a variant and its launch shape.</summary>
internal readonly record struct MatmulChoice(MatmulVariant Variant, MatmulTiling Tiling)
{
    public override string ToString() => $"{(int)Variant} {Tiling}";
}

/// <summary>C[M,N] = op(A) · op(B) at one shape and transposition (see <see cref="MatmulKernels"/>), as a tunable op.</summary>
internal sealed class MatmulTunable(int m, int n, int k, bool transposeA, bool transposeB) : TunableOp<MatmulChoice>
{
    public override string Op => "matmul";
    public override string Shape => $"{m}x{n}x{k} tA{(transposeA ? 1 : 0)} tB{(transposeB ? 1 : 0)}";
    public override double Flops => 2.0 * m * n * k;
    protected override string ShaderFiles => "dense/matmul_*.spv";
    protected override Enum VariantOf(MatmulChoice choice) => choice.Variant;

    public override MatmulChoice Default(DeviceInfo device)
    {
        var variant = MatmulKernels.DefaultVariant(device);
        return new(variant, MatmulKernels.DefaultTiling(device, variant));
    }

    /// <summary>
    /// The naive variant, the readable reference, is no candidate: 10-100x slower than the blocked
    /// variants wherever measured (PLATFORM.md, `vae tune`), timing it would cost more than all the others.
    /// </summary>
    public override IEnumerable<MatmulChoice> Candidates(DeviceInfo device, TuningSearch search)
    {
        yield return Default(device);
        foreach (var variant in Enum.GetValues<MatmulVariant>().Where(v => v != MatmulVariant.Naive && MatmulKernels.IsSupported(device, v)))
        {
            var tiling = MatmulKernels.DefaultTiling(device, variant);
            yield return new(variant, tiling);
            if (search == TuningSearch.Variants) continue;
            // A tile taller or wider than the product only computes padding: not worth a compilation.
            foreach (var other in Around(tiling).Where(t => t.TileM <= Math.Max(tiling.TileM, m) && t.TileN <= Math.Max(tiling.TileN, n)))
            {
                var candidate = new MatmulChoice(variant, other);
                if (CanRun(device, candidate)) yield return candidate;
            }
        }
    }

    /// <summary>
    /// Launch shapes next to a register tile's default (variants 2, 4, 5 and 6): half and twice its rows,
    /// then its columns, and half and twice the invocations of its workgroup. Shared-memory tiles
    /// (TileK above 0, variant 3) are bound to the device's shared memory: they keep their defaults.
    /// </summary>
    private static IEnumerable<MatmulTiling> Around(MatmulTiling t)
    {
        if (t.TileK != 0) yield break;
        if (t.TileM > 1) yield return t with { TileM = t.TileM / 2 };
        yield return t with { TileM = t.TileM * 2 };
        if (t.TileN > 1) yield return t with { TileN = t.TileN / 2 };
        yield return t with { TileN = t.TileN * 2 };
        if (t.WorkgroupY > 1)
        {
            yield return t with { WorkgroupY = t.WorkgroupY / 2 };
            yield return t with { WorkgroupY = t.WorkgroupY * 2 };
        }
        else
        {
            yield return t with { WorkgroupX = t.WorkgroupX / 2 };
            yield return t with { WorkgroupX = t.WorkgroupX * 2 };
        }
    }

    /// <summary>A launch shape within the device's limits; variants 4 to 6 need 1-D workgroups of whole subgroups.</summary>
    public override bool CanRun(DeviceInfo device, MatmulChoice choice)
    {
        var t = choice.Tiling;
        return MatmulKernels.IsSupported(device, choice.Variant) && t.TileM > 0 && t.TileN > 0
            && t.WorkgroupX > 0 && t.WorkgroupY > 0 && t.WorkgroupX * t.WorkgroupY <= device.MaxWorkGroupInvocations
            && (!MatmulKernels.UsesSubgroups(choice.Variant) || (t.WorkgroupY == 1 && t.WorkgroupX % device.SubgroupSize == 0));
    }

    protected override Tensor[] CreateScratch(Gpu gpu, Random random) =>
    [
        gpu.CreateTensor("tuning A", KernelTiming.RandomValues(random, (long)m * k)),
        gpu.CreateTensor("tuning B", KernelTiming.RandomValues(random, (long)k * n)),
        gpu.CreateTensor("tuning C", (long)m * n),
    ];

    protected override void Record(SequenceRecorder r, MatmulChoice choice, IReadOnlyList<Tensor> scratch)
        => MatmulKernels.Multiply(r, scratch[0], scratch[1], scratch[2], m, n, k, transposeA, transposeB, choice.Variant, choice.Tiling);
}
