using VulkanAE.Benchmarks;
using VulkanAE.Core;
using VulkanAE.Kernels.Conv;

namespace VulkanAE.Tuning;

/// <summary>What a conv gather or scatter runs: a variant and its launch shape.</summary>
internal readonly record struct ConvPassChoice(ConvVariant Variant, ConvTiling Tiling)
{
    public override string ToString() => $"{(int)Variant} {Tiling}";
}

/// <summary>What a conv weight gradient runs: a variant and its launch shape, batch splits included.</summary>
internal readonly record struct ConvWeightChoice(ConvVariant Variant, ConvWeightTiling Tiling)
{
    public override string ToString() => $"{(int)Variant} {Tiling}";
}

/// <summary>
/// A Conv2d or ConvTranspose2d layer's shape as tuning keys show it, and its two images:
/// "wide" is Conv2d's input and ConvTranspose2d's output (see shaders/include/conv.glsl).
/// </summary>
internal static class ConvTuningShape
{
    public static string Describe(Conv2dShape s)
        => $"b{s.Batch} {s.InChannels}x{s.InHeight}x{s.InWidth}->{s.OutChannels}x{s.OutHeight}x{s.OutWidth} "
            + $"k{s.Kernel}s{s.Stride}p{s.Padding}{(s.OutputPadding > 0 ? $"op{s.OutputPadding}" : "")}";

    public static long WideLength(Conv2dShape s) => s.Transposed ? s.OutputLength : s.InputLength;
    public static long NarrowLength(Conv2dShape s) => s.Transposed ? s.InputLength : s.OutputLength;

    /// <summary>Half and twice <paramref name="value"/>, within 1..<paramref name="max"/>.</summary>
    public static IEnumerable<uint> Around(uint value, uint max)
        => new[] { value / 2, value * 2 }.Where(v => v >= 1 && v <= max && v != value);
}

/// <summary>
/// A gather (wide -> narrow) or scatter (narrow -> wide) of one layer: its forward pass, with the
/// bias, when the pass runs the layer's way (gather for Conv2d, scatter for ConvTranspose2d),
/// else its input gradient.
/// </summary>
internal sealed class ConvPassTunable(Conv2dShape s, bool scatter) : TunableOp<ConvPassChoice>
{
    private bool Forward => scatter == s.Transposed;

    public override string Op => $"{s.Layer} {(Forward ? "forward" : "backward-input")}";
    public override string Shape => ConvTuningShape.Describe(s);
    public override double Flops => s.Flops;
    protected override string ShaderFiles => "conv/*.spv";
    protected override Enum VariantOf(ConvPassChoice choice) => choice.Variant;

    public override ConvPassChoice Default(DeviceInfo device) => Candidate(device, ConvPasses.DefaultVariant(device));

    private ConvPassChoice Candidate(DeviceInfo device, ConvVariant variant)
        => new(variant, ConvPasses.DefaultTiling(device, s, scatter, variant));

    /// <summary>
    /// Each blocked variant's default (the naive one, the readable reference, is 10-30x slower on
    /// every layer measured), and searching launch shapes, half and twice its channels, columns, rows
    /// and workgroup; no more columns or rows than the destination image has (beyond them a tile
    /// only computes padding, and each candidate costs a compilation).
    /// </summary>
    public override IEnumerable<ConvPassChoice> Candidates(DeviceInfo device, TuningSearch search)
    {
        yield return Default(device);
        var g = ConvPasses.Geometry.Of(s);
        uint channels = scatter ? g.WideChannels : g.NarrowChannels;
        var (height, width) = scatter ? (g.WideHeight, g.WideWidth) : (g.NarrowHeight, g.NarrowWidth);
        foreach (var variant in Enum.GetValues<ConvVariant>().Where(v => v != ConvVariant.Naive && ConvPasses.IsSupported(device, v)))
        {
            var (_, t) = Candidate(device, variant);
            yield return new(variant, t);
            if (search == TuningSearch.Variants) continue;
            var others = ConvTuningShape.Around(t.TileChannels, channels).Select(c => t with { TileChannels = c })
                .Concat(ConvTuningShape.Around(t.TileColumns, Math.Min(32, Math.Max(t.TileColumns, width))).Select(c => t with { TileColumns = c }))
                .Concat(ConvTuningShape.Around(t.TileRows, Math.Min(4, Math.Max(t.TileRows, height))).Select(h => t with { TileRows = h }))
                .Concat(ConvTuningShape.Around(t.WorkgroupSize, device.MaxWorkGroupInvocations).Select(w => t with { WorkgroupSize = w }));
            foreach (var other in others)
                if (CanRun(device, new(variant, other))) yield return new(variant, other);
        }
    }

    /// <summary>Accumulators of the largest multi-row tile tried: 32 x 14 x 2 ran on lavapipe, 32 x 14 x 4 crashed it.</summary>
    private const uint MaxMultiRowAccumulators = 32 * 14 * 2;

    public override bool CanRun(DeviceInfo device, ConvPassChoice choice)
    {
        var t = choice.Tiling;
        return ConvPasses.IsSupported(device, choice.Variant) && t.TileChannels > 0 && t.TileColumns > 0 && t.TileRows > 0
            && (t.TileRows == 1 || t.TileChannels * t.TileColumns * t.TileRows <= MaxMultiRowAccumulators)
            && t.WorkgroupSize > 0 && t.WorkgroupSize <= device.MaxWorkGroupInvocations
            && (choice.Variant != ConvVariant.SubgroupShared || t.WorkgroupSize % device.SubgroupSize == 0)
            && (choice.Variant == ConvVariant.Naive || !scatter || t.TileColumns % s.Stride == 0);
    }

    protected override Tensor[] CreateScratch(Gpu gpu, Random random) =>
    [
        gpu.CreateTensor("tuning source", KernelTiming.RandomValues(random, scatter ? ConvTuningShape.NarrowLength(s) : ConvTuningShape.WideLength(s))),
        gpu.CreateTensor("tuning weight", KernelTiming.RandomValues(random, s.WeightLength)),
        gpu.CreateTensor("tuning bias", KernelTiming.RandomValues(random, s.OutChannels)),
        gpu.CreateTensor("tuning destination", scatter ? ConvTuningShape.WideLength(s) : ConvTuningShape.NarrowLength(s)),
    ];

    protected override void Record(SequenceRecorder r, ConvPassChoice choice, IReadOnlyList<Tensor> scratch)
        => ConvPasses.GatherOrScatter(r, s, scatter, scratch[0], scratch[1], Forward ? scratch[2] : null, scratch[3], choice.Variant, choice.Tiling);
}

/// <summary>
/// A layer's weight gradient (correlate), with at most <paramref name="maxSplits"/> batch splits:
/// what the layer's workspace holds.
/// </summary>
internal sealed class ConvWeightTunable(Conv2dShape s, uint maxSplits) : TunableOp<ConvWeightChoice>
{
    public override string Op => $"{s.Layer} backward-weight";
    public override string Shape => ConvTuningShape.Describe(s);
    public override double Flops => s.Flops;
    protected override string ShaderFiles => "conv/*.spv";
    protected override Enum VariantOf(ConvWeightChoice choice) => choice.Variant;

    public override ConvWeightChoice Default(DeviceInfo device) => Candidate(device, ConvPasses.DefaultVariant(device));

    private ConvWeightChoice Candidate(DeviceInfo device, ConvVariant variant)
    {
        var tiling = ConvPasses.DefaultWeightTiling(device, s, variant);
        return new(variant, tiling with { Splits = Math.Min(tiling.Splits, maxSplits) });
    }

    /// <summary>
    /// Each blocked variant's default (not the naive reference), and searching launch shapes, half
    /// and twice its narrow and wide channels and columns, and half its splits. Variant 3 counts only
    /// where it shares gradient rows: without sharing it runs variant 2's kernel.
    /// </summary>
    public override IEnumerable<ConvWeightChoice> Candidates(DeviceInfo device, TuningSearch search)
    {
        yield return Default(device);
        var g = ConvPasses.Geometry.Of(s);
        foreach (var variant in Enum.GetValues<ConvVariant>().Where(v => v != ConvVariant.Naive && ConvPasses.IsSupported(device, v)))
        {
            var (_, t) = Candidate(device, variant);
            if (variant == ConvVariant.SubgroupShared && t.RowSharingLanes == 1) continue;
            yield return new(variant, t);
            if (search == TuningSearch.Variants) continue;
            var others = ConvTuningShape.Around(t.TileNarrow, g.NarrowChannels).Select(c => t with { TileNarrow = c })
                .Concat(ConvTuningShape.Around(t.TileWide, g.WideChannels).Select(c => t with { TileWide = c }))
                .Concat(ConvTuningShape.Around(t.TileColumns, 32).Select(c => t with { TileColumns = c }))
                .Concat(t.Splits > 1 ? [t with { Splits = t.Splits / 2 }] : []);
            foreach (var other in others)
                if (CanRun(device, new(variant, other))) yield return new(variant, other);
        }
    }

    public override bool CanRun(DeviceInfo device, ConvWeightChoice choice)
    {
        var t = choice.Tiling;
        bool sharing = t.RowSharingLanes > 1;
        return ConvPasses.IsSupported(device, choice.Variant) && t.TileNarrow > 0 && t.TileWide > 0 && t.TileColumns > 0
            && t.Splits > 0 && t.Splits <= maxSplits && t.RowSharingLanes > 0 && t.WorkgroupSize > 0 && t.WorkgroupSize <= device.MaxWorkGroupInvocations
            && (choice.Variant != ConvVariant.Naive || t.Splits == 1)
            && (!sharing || (choice.Variant == ConvVariant.SubgroupShared && t.RowSharingLanes == device.SubgroupSize && t.WorkgroupSize % t.RowSharingLanes == 0));
    }

    protected override Tensor[] CreateScratch(Gpu gpu, Random random) =>
    [
        gpu.CreateTensor("tuning narrow gradient", KernelTiming.RandomValues(random, ConvTuningShape.NarrowLength(s))),
        gpu.CreateTensor("tuning wide", KernelTiming.RandomValues(random, ConvTuningShape.WideLength(s))),
        gpu.CreateTensor("tuning weight gradient", s.WeightLength),
        gpu.CreateTensor("tuning workspace", Math.Max(1, (long)maxSplits * s.WeightLength)),
    ];

    protected override void Record(SequenceRecorder r, ConvWeightChoice choice, IReadOnlyList<Tensor> scratch)
        => ConvPasses.Correlate(r, s, scratch[0], scratch[1], scratch[2], scratch[3], choice.Variant, choice.Tiling);
}
