using VulkanAE.Core;
using static VulkanAE.Core.SpecializationConstant;
using VulkanAE.Kernels.Activation;
using VulkanAE.Kernels.Dense;
using VulkanAE.Kernels.Reduce;

namespace VulkanAE.Kernels.Conv;

/// <summary>The convolution kernels, numbered as in shaders/conv/: study why 2 beats 1.</summary>
public enum ConvVariant
{
    /// <summary>One output per invocation: conv_naive.comp and conv_weight_gradient_naive.comp, the readable reference.</summary>
    Naive = 1,
    /// <summary>Implicit GEMM with a block of outputs per invocation in registers: conv_register_blocked.comp and conv_weight_gradient_register_blocked.comp.</summary>
    RegisterBlocked = 2,
    /// <summary>
    /// Variant 2 with each subgroup loading once what its invocations all read and sharing it by
    /// shuffles: the weights (conv_subgroup_shared.comp) and the gradient rows of the weight
    /// gradient (conv_weight_gradient_subgroup_shared.comp). Needs subgroup shuffles in compute shaders.
    /// </summary>
    SubgroupShared = 3,
}

/// <summary>
/// Launch shape of a gather or scatter: the workgroup size, and the destination channels x
/// destination columns x destination rows (of one row phase) that each invocation computes
/// (1 x 1 x 1 for the naive variant).
/// </summary>
internal readonly record struct ConvTiling(uint WorkgroupSize, uint TileChannels, uint TileColumns, uint TileRows = 1)
{
    public override string ToString() => $"{TileChannels}x{TileColumns}{(TileRows > 1 ? $"x{TileRows}r" : "")} wg {WorkgroupSize}";
}

/// <summary>
/// Launch shape of a weight gradient: the narrow x wide channels whose whole k x k gradient each
/// invocation computes, the narrow columns it walks at once, how many deterministic batch splits
/// run in parallel (summed in order afterwards; more than one needs a workspace), and how many
/// invocations share the narrow gradient rows they load (1: none; the subgroup size: variant 3's
/// conv_weight_gradient_subgroup_shared.comp).
/// </summary>
internal readonly record struct ConvWeightTiling(uint WorkgroupSize, uint TileNarrow, uint TileWide, uint TileColumns, uint Splits, uint RowSharingLanes = 1)
{
    public override string ToString()
        => $"{TileNarrow}x{TileWide}x{TileColumns} /{Splits} wg {WorkgroupSize}{(RowSharingLanes > 1 ? $" share {RowSharingLanes}" : "")}";
}

/// <summary>
/// The three passes that make up every op of Conv2d and ConvTranspose2d (see shaders/include/conv.glsl):
/// gather (wide -> narrow), scatter (narrow -> wide) and correlate (the weight gradient), plus the
/// bias gradient. "Wide" is Conv2d's input and ConvTranspose2d's output; the weight is always
/// [narrow channels, wide channels, k, k].
/// </summary>
internal static class ConvPasses
{
    /// <summary>The push-constant block ConvGeometry of conv.glsl.</summary>
    internal readonly record struct Geometry(uint Batch, uint NarrowChannels, uint WideChannels,
        uint NarrowHeight, uint NarrowWidth, uint WideHeight, uint WideWidth, int Padding)
    {
        public static Geometry Of(Conv2dShape s)
        {
            var (narrowC, narrowH, narrowW, wideC, wideH, wideW) = s.Transposed
                ? (s.InChannels, s.InHeight, s.InWidth, s.OutChannels, s.OutHeight, s.OutWidth)
                : (s.OutChannels, s.OutHeight, s.OutWidth, s.InChannels, s.InHeight, s.InWidth);
            return new((uint)s.Batch, (uint)narrowC, (uint)wideC, (uint)narrowH, (uint)narrowW, (uint)wideH, (uint)wideW, s.Padding);
        }
    }

    private readonly record struct BiasPush(uint Batch, uint Channels, uint Pixels);

    /// <summary>conv.glsl's constants that every pass uses: the workgroup size, KERNEL and STRIDE.</summary>
    private readonly record struct ConvConstants(uint WorkgroupSize, uint Kernel, uint Stride) : ISpecializationConstants
    {
        public IReadOnlyList<SpecializationConstant> Constants => [Of(0, WorkgroupSize), Of(2, Kernel), Of(3, Stride)];
    }

    /// <summary>Every gather's or scatter's constants: TRANSPOSED (conv.glsl) for a scatter, and HAS_BIAS.</summary>
    private readonly record struct PassConstants(ConvConstants Conv, bool Transposed, bool HasBias) : ISpecializationConstants
    {
        public IReadOnlyList<SpecializationConstant> Constants => [.. Conv.Constants, Of(4, Transposed), Of(5, HasBias)];
    }

    /// <summary>conv_naive.comp: the pass and the ACTIVATION applied to what it stores.</summary>
    private readonly record struct NaivePassConstants(PassConstants Pass, ActivationKind Activation) : ISpecializationConstants
    {
        public IReadOnlyList<SpecializationConstant> Constants => [.. Pass.Constants, Of(6, Activation)];
    }

    /// <summary>
    /// conv_register_blocked.glsl: TILE_C channels x TILE_W columns x TILE_H rows per invocation,
    /// vec4 source loads (VECTOR_SOURCE) and vec4 row stores (VECTOR_DESTINATION), the ACTIVATION
    /// applied to what it stores, and a scatter's padding mod stride (PADDING_PHASE).
    /// </summary>
    private readonly record struct BlockedPassConstants(PassConstants Pass, uint TileChannels, uint TileColumns, uint TileRows, bool VectorSource,
        bool VectorDestination, ActivationKind Activation, uint PaddingPhase) : ISpecializationConstants
    {
        public IReadOnlyList<SpecializationConstant> Constants => [.. Pass.Constants, Of(6, TileChannels), Of(7, TileColumns), Of(8, VectorSource),
            Of(9, VectorDestination), Of(10, Activation), Of(11, PaddingPhase), Of(13, TileRows)];
    }

    /// <summary>conv_subgroup_shared.comp: variant 2's constants and the SUBGROUP_SIZE that shares the weights.</summary>
    private readonly record struct SubgroupPassConstants(BlockedPassConstants Blocked, uint SubgroupSize) : ISpecializationConstants
    {
        public IReadOnlyList<SpecializationConstant> Constants => [.. Blocked.Constants, Of(12, SubgroupSize)];
    }

    /// <summary>
    /// conv_weight_gradient_register_blocked.glsl: a workgroup row (local_size_y_id = 1, one row: the
    /// batch splits are workgroups along y), TILE_A narrow x TILE_B wide channels and TILE_X columns
    /// per invocation, and vec4 loads of each operand (VECTOR_NARROW, VECTOR_WIDE).
    /// </summary>
    private readonly record struct BlockedWeightConstants(ConvConstants Conv, uint WorkgroupRows, uint TileNarrow, uint TileWide, uint TileColumns,
        bool VectorNarrow, bool VectorWide) : ISpecializationConstants
    {
        public IReadOnlyList<SpecializationConstant> Constants => [.. Conv.Constants, Of(1, WorkgroupRows),
            Of(5, TileNarrow), Of(6, TileWide), Of(7, TileColumns), Of(8, VectorNarrow), Of(9, VectorWide)];
    }

    /// <summary>conv_weight_gradient_subgroup_shared.comp: variant 2's constants and the SUBGROUP_SIZE that shares the gradient rows.</summary>
    private readonly record struct SubgroupWeightConstants(BlockedWeightConstants Blocked, uint SubgroupSize) : ISpecializationConstants
    {
        public IReadOnlyList<SpecializationConstant> Constants => [.. Blocked.Constants, Of(10, SubgroupSize)];
    }

    private static readonly KernelSignature<NaivePassConstants> NaivePassSignature
        = KernelSignature.Of<Geometry, NaivePassConstants>("conv/conv_naive", Access.Read, Access.Read, Access.Read, Access.Write);
    private static readonly KernelSignature<BlockedPassConstants> BlockedPassSignature
        = KernelSignature.Of<Geometry, BlockedPassConstants>("conv/conv_register_blocked", Access.Read, Access.Read, Access.Read, Access.Write);
    private static readonly KernelSignature<SubgroupPassConstants> SubgroupPassSignature
        = KernelSignature.Of<Geometry, SubgroupPassConstants>("conv/conv_subgroup_shared", Access.Read, Access.Read, Access.Read, Access.Write);
    private static readonly KernelSignature<ConvConstants> NaiveWeightSignature
        = KernelSignature.Of<Geometry, ConvConstants>("conv/conv_weight_gradient_naive", Access.Read, Access.Read, Access.Write);
    private static readonly KernelSignature<BlockedWeightConstants> BlockedWeightSignature
        = KernelSignature.Of<Geometry, BlockedWeightConstants>("conv/conv_weight_gradient_register_blocked", Access.Read, Access.Read, Access.Write);
    private static readonly KernelSignature<SubgroupWeightConstants> SubgroupWeightSignature
        = KernelSignature.Of<Geometry, SubgroupWeightConstants>("conv/conv_weight_gradient_subgroup_shared", Access.Read, Access.Read, Access.Write);
    private static readonly KernelSignature<WorkgroupConstants> BiasSignature
        = KernelSignature.Of<BiasPush, WorkgroupConstants>("conv/conv_bias_gradient", Access.Read, Access.Write);

    /// <summary>
    /// On a CPU driver with subgroup shuffles, register blocking with subgroup-shared weights and
    /// gradient rows (variant 3: 1.4-2.9x over 2 on lavapipe's 32- and 64-channel layers). Elsewhere
    /// plain register blocking: on a GPU, loads of one address across a warp are already
    /// broadcasts, so variant 3 should gain little there; unmeasured (no GPU yet), as is the
    /// missing shared-memory variant.
    /// </summary>
    public static ConvVariant DefaultVariant(DeviceInfo device)
        => device.IsCpu && device.SubgroupShuffleInCompute ? ConvVariant.SubgroupShared : ConvVariant.RegisterBlocked;

    public static bool IsSupported(DeviceInfo device, ConvVariant variant)
        => variant != ConvVariant.SubgroupShared || device.SubgroupShuffleInCompute;

    /// <summary>Throws unless this device can run <paramref name="variant"/>.</summary>
    public static void RequireSupported(DeviceInfo device, ConvVariant variant)
    {
        if (!IsSupported(device, variant))
            throw new NotSupportedException($"conv variant {(int)variant} ({variant}) needs subgroup shuffles in compute shaders, which {device.Name} does not offer.");
    }

    /// <summary>
    /// The launch shape of a gather (<paramref name="scatter"/> false) or scatter for this
    /// shape on this device. Tiles adapt to the shape: the channel tile never exceeds the
    /// destination channels (a 32 -> 1 layer computes 1 channel per invocation, and then more
    /// columns), and the column tile is the size up to the cap that wastes the fewest columns
    /// of a row (14 for 14-wide images, 7 for 7; on a CPU 28 for 28-wide ones stored as vec4s),
    /// a multiple of the stride for a scatter.
    /// </summary>
    public static ConvTiling DefaultTiling(DeviceInfo device, Conv2dShape s, bool scatter, ConvVariant variant)
    {
        var g = Geometry.Of(s);
        uint channels = scatter ? g.WideChannels : g.NarrowChannels;
        uint width = scatter ? g.WideWidth : g.NarrowWidth;
        uint step = scatter ? (uint)s.Stride : 1; // a scatter's column tiles start at a multiple of the stride
        // lavapipe runs 8 lanes per SIMD step: 64-invocation workgroups keep 2 cores busy on the
        // small layers. A GPU wants several warps per workgroup.
        uint workgroup = device.IsCpu ? 64u : 128u;
        if (variant == ConvVariant.Naive) return new(workgroup, 1, 1);
        // Variant 3 shares weights within subgroups: whole subgroups per workgroup.
        if (variant == ConvVariant.SubgroupShared) workgroup = Ceil(workgroup, device.SubgroupSize) * device.SubgroupSize;
        // CPU: up to 32 channels x 14 columns. lavapipe keeps such a tile in memory anyway, and
        // what it pays for is loads, each a loop over the lanes: every source value loaded feeds
        // one FMA per tile channel. Measured on lavapipe (CPU time per pass, batch 128, variants 2
        // and 3 alike) on every conv-ae and conv-vae layer with several source channels: 32 x 14
        // (or the channels there are) 1.2-1.6x faster than the former 8 x 7 and 8 x 14, and
        // faster than 16 x 14, 32 x 7 and 64 x 7; 32 x 14 on 32-channel images needs
        // conv_register_blocked.glsl's accumulator-major FMA order. GPU: 4 x 4 leaves registers
        // for occupancy.
        uint tileChannels = Math.Min(device.IsCpu ? 32u : 4u, channels);
        uint accumulators = device.IsCpu ? 448u : 16u;
        uint maxColumns = Math.Clamp(accumulators / tileChannels, 4u, 16u);
        // CPU, where rows can be stored as vec4s (see VectorDestination): a multiple of 4 columns,
        // up to twice as many (28 columns of a 28-wide image measured as fast as 14 on 32
        // channels, and 1.5x faster on the passes with one source channel).
        uint vectorStep = step * 4 / Gcd(step, 4);
        // CPU, one destination channel (a conv's single-channel output, or a first layer's input
        // gradient): each FMA needs a source value, and the source rows are the loads, so two rows
        // per tile, which load the source rows they share once: the stride-2 scatter 32 -> 1 28x28
        // (conv-vae's first layer's backward-input) 4.9-5.2 -> 3.6-3.7 ms CPU time per pass on
        // lavapipe, back to back. Tiles of 32 channels measured the same with 2 rows (the weights
        // the rows share were not what bound them), and 32 x 14 x 4 rows crashed lavapipe.
        uint rows = device.IsCpu && tileChannels == 1 ? 2u : 1u;
        if (device.IsCpu && VectorDestination(width, vectorStep))
            return new(workgroup, tileChannels, LeastWastefulTile(width, 2 * maxColumns, vectorStep), rows);
        return new(workgroup, tileChannels, LeastWastefulTile(width, maxColumns, step), rows);
    }

    private static uint Gcd(uint a, uint b) => b == 0 ? a : Gcd(b, a % b);

    /// <summary>
    /// Whether a pass stores its tile rows as vec4s (conv_register_blocked.glsl's
    /// VECTOR_DESTINATION): the destination width and the column tile multiples of 4.
    /// </summary>
    private static bool VectorDestination(uint width, uint tileColumns) => width % 4 == 0 && tileColumns % 4 == 0;

    /// <summary>The weight-gradient launch shape; Splits is what the device would like, capped by the workspace given.</summary>
    public static ConvWeightTiling DefaultWeightTiling(DeviceInfo device, Conv2dShape s, ConvVariant variant)
    {
        var g = Geometry.Of(s);
        if (variant == ConvVariant.Naive) return new(device.IsCpu ? 64u : 128u, 1, 1, 1, 1);
        // CPU, measured on lavapipe (2 cores, conv-ae/conv-vae layers at batch 128, rows read as
        // vec4 groups, CPU time per pass): 32 narrow x 2 wide channels x 7 columns is the best of
        // 8x2 (the former default), 16x2, 32x1, 32x2, 64x1 and 32x1x14 on the 32- and 64-channel
        // layers, 1.6-2.3x faster than 8x2: variant 3 loads the narrow gradient rows once per
        // subgroup, so each wide segment an invocation loads feeds 32 narrow channels' FMAs. A
        // layer with one narrow channel walks more columns at once instead; one with a single wide
        // channel (the first layer) runs 4 x 1, which measured ~1.3x faster there than 8 x 1 (and
        // 1.5-4x faster than 8-32 x 1 with 14 or 28 columns).
        // GPU (reasoned, not measured): 4 x 1 leaves registers for occupancy.
        uint tileNarrow = Math.Min(device.IsCpu && g.WideChannels > 1 ? 32u : 4u, g.NarrowChannels);
        uint tileWide = Math.Min(device.IsCpu ? 2u : 1u, g.WideChannels);
        uint tiles = Ceil(g.NarrowChannels, tileNarrow) * Ceil(g.WideChannels, tileWide);
        // Few invocations own the whole reduction (a 1 -> 32 layer has 4); splitting the batch
        // gives every core its share (CPU: a few dozen workgroups of one subgroup, which a CPU
        // driver runs as one SIMD step, to balance two cores; GPU: thousands of lanes).
        uint workgroup = device.IsCpu ? device.SubgroupSize : 64u;
        uint wanted = device.IsCpu ? 256u : 16384u;
        uint splits = Math.Clamp(Ceil(wanted, tiles), 1u, (uint)s.Batch);
        // Variant 3 shares the gradient rows within a subgroup, whose tiles then need one narrow
        // tile: worth it when the wide tiles fill whole subgroups (not for a 1-channel input,
        // whose single wide tile would leave the rest of the subgroup padding).
        uint sharing = variant == ConvVariant.SubgroupShared && Ceil(g.WideChannels, tileWide) % device.SubgroupSize == 0 ? device.SubgroupSize : 1u;
        workgroup = Ceil(workgroup, sharing) * sharing;
        return new(workgroup, tileNarrow, tileWide, LeastWastefulTile(g.NarrowWidth, tileNarrow > 1 ? 8u : 16u), splits, sharing);
    }

    /// <summary>Elements of workspace a weight gradient with this tiling needs (0 when it writes dw directly).</summary>
    public static long WorkspaceLength(Conv2dShape s, ConvWeightTiling tiling)
        => tiling.Splits > 1 ? (long)tiling.Splits * s.WeightLength : 0;

    /// <summary>
    /// The multiple of <paramref name="step"/> in [max / 2, max] that leaves the fewest unused
    /// columns (larger on ties); all the columns when they are fewer and a multiple of the step.
    /// </summary>
    private static uint LeastWastefulTile(uint columns, uint max, uint step = 1)
    {
        if (columns <= max && columns % step == 0) return Math.Max(columns, 1);
        uint best = Math.Max(max / step, 1) * step;
        for (uint tile = best; tile >= Math.Max(max / 2, step); tile -= step)
            if (Ceil(columns, tile) * tile - columns < Ceil(columns, best) * best - columns) best = tile;
        return best;
    }

    private static uint Ceil(uint a, uint b) => (a + b - 1) / b;

    /// <summary>
    /// destination = activation(gather(source) (wide -> narrow) or scatter(source) (narrow -> wide),
    /// plus bias[destination channel] when a bias is given).
    /// </summary>
    public static void GatherOrScatter(SequenceRecorder r, Conv2dShape s, bool scatter, Tensor source, Tensor weight, Tensor? bias,
        Tensor destination, ConvVariant variant, ConvTiling tiling, ActivationKind activation = ActivationKind.Identity)
    {
        RequireSupported(r.Gpu.Info, variant);
        var g = Geometry.Of(s);
        var pass = new PassConstants(new ConvConstants(tiling.WorkgroupSize, (uint)s.Kernel, (uint)s.Stride), Transposed: scatter, HasBias: bias is not null);
        uint width = scatter ? g.WideWidth : g.NarrowWidth;
        if (variant != ConvVariant.Naive && scatter && tiling.TileColumns % s.Stride != 0)
            throw new ArgumentException($"conv variant {(int)variant} scatter {s}: the column tile ({tiling}) must be a multiple of the stride");
        var blocked = new BlockedPassConstants(pass, tiling.TileChannels, tiling.TileColumns, tiling.TileRows, VectorSource: Vector(source),
            VectorDestination: VectorDestination(width, tiling.TileColumns), activation, PaddingPhase: scatter ? (uint)(s.Padding % s.Stride) : 0u);
        uint subgroup = r.Gpu.Info.SubgroupSize;
        var (kernel, weightLanes) = variant switch
        {
            ConvVariant.Naive => (r.Gpu.Kernel(NaivePassSignature, new NaivePassConstants(pass, activation)), 1u),
            ConvVariant.RegisterBlocked => (r.Gpu.Kernel(BlockedPassSignature, blocked), 1u),
            ConvVariant.SubgroupShared => (r.Gpu.Kernel(SubgroupPassSignature, new SubgroupPassConstants(blocked, subgroup)), subgroup),
            _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, "unknown conv variant"),
        };
        if (tiling.WorkgroupSize % weightLanes != 0)
            throw new ArgumentException($"conv variant {(int)variant}: workgroup size {tiling.WorkgroupSize} is not a multiple of the subgroup size {weightLanes}");
        uint channels = scatter ? g.WideChannels : g.NarrowChannels, height = scatter ? g.WideHeight : g.NarrowHeight;
        uint phases = scatter ? (uint)s.Stride : 1; // row phases
        // conv_register_blocked.glsl's work order: slow part x fast part padded to the lanes sharing weights.
        long work = variant == ConvVariant.Naive
            ? (long)g.Batch * channels * height * width
            : (long)Ceil(channels, tiling.TileChannels) * phases
                * Ceil(g.Batch * Ceil(Ceil(height, phases), tiling.TileRows) * Ceil(width, tiling.TileColumns), weightLanes) * weightLanes;
        // The backward-input passes have no bias; the weight stands in at its binding, never read (HAS_BIAS is false).
        r.Dispatch(kernel, Groups(r.Gpu, work, tiling.WorkgroupSize), g,
            new CommandWork(s.Flops, 4.0 * ((double)s.InputLength + s.OutputLength + s.WeightLength + (bias is null ? 0 : s.OutChannels))),
            source, weight, bias ?? weight, destination);
    }

    /// <summary>
    /// dw = correlate(narrowGradient, wide), overwriting dw. With more than one split the splits
    /// write <paramref name="workspace"/> and are then summed in split order into dw.
    /// </summary>
    public static void Correlate(SequenceRecorder r, Conv2dShape s, Tensor narrowGradient, Tensor wide, Tensor weightGradient,
        Tensor? workspace, ConvVariant variant, ConvWeightTiling tiling)
    {
        var g = Geometry.Of(s);
        long needed = WorkspaceLength(s, tiling);
        if (needed > 0 && (workspace is null || workspace.Length < needed))
            throw new ArgumentException($"conv weight gradient {s} with {tiling.Splits} batch splits: the workspace ({workspace?.ToString() ?? "none"}) needs {needed} elements.");
        RequireSupported(r.Gpu.Info, variant);
        var conv = new ConvConstants(tiling.WorkgroupSize, (uint)s.Kernel, (uint)s.Stride);
        var blocked = new BlockedWeightConstants(conv, WorkgroupRows: 1, tiling.TileNarrow, tiling.TileWide, tiling.TileColumns,
            VectorNarrow: Vector(narrowGradient), VectorWide: Vector(wide));
        uint lanes = tiling.RowSharingLanes;
        // conv_weight_gradient_register_blocked.glsl's work order: narrow tiles x wide tiles padded to the sharing lanes.
        long blockedWork = (long)Ceil(g.NarrowChannels, tiling.TileNarrow) * Ceil(Ceil(g.WideChannels, tiling.TileWide), lanes) * lanes;
        var (kernel, work) = variant switch
        {
            ConvVariant.Naive => (r.Gpu.Kernel(NaiveWeightSignature, conv), (long)s.WeightLength),
            _ when lanes > 1 => (r.Gpu.Kernel(SubgroupWeightSignature, new SubgroupWeightConstants(blocked, lanes)), blockedWork),
            ConvVariant.RegisterBlocked or ConvVariant.SubgroupShared => (r.Gpu.Kernel(BlockedWeightSignature, blocked), blockedWork),
            _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, "unknown conv variant"),
        };
        if (variant == ConvVariant.Naive && tiling.Splits != 1)
            throw new ArgumentException("the naive conv weight gradient does not split the batch");
        if (lanes > 1 && (variant != ConvVariant.SubgroupShared || lanes != r.Gpu.Info.SubgroupSize || tiling.WorkgroupSize % lanes != 0))
            throw new ArgumentException($"conv weight gradient {s}: sharing rows across {lanes} lanes needs variant 3, the device's subgroup size ({r.Gpu.Info.SubgroupSize}) and a workgroup of whole subgroups (got {tiling.WorkgroupSize})");
        var groups = Groups(r.Gpu, work, tiling.WorkgroupSize) with { Y = tiling.Splits };
        r.Dispatch(kernel, groups, g, new CommandWork(s.Flops, 4.0 * ((double)s.InputLength + s.OutputLength + Math.Max(needed, s.WeightLength))),
            narrowGradient, wide, needed > 0 ? workspace! : weightGradient);
        if (needed > 0) BiasKernels.Gradient(r, workspace!, weightGradient, (int)tiling.Splits, s.WeightLength);
    }

    /// <summary>dbias[c] = sum over n, y, x of gradient[n, c, y, x], in a fixed order.</summary>
    public static void BiasGradient(SequenceRecorder r, Tensor gradient, Tensor biasGradient, int batch, int channels, int pixels)
    {
        uint workgroup = ReductionKernels.CheckedPowerOfTwo(ReductionKernels.WorkgroupSize(r.Gpu));
        var kernel = r.Gpu.Kernel(BiasSignature, new WorkgroupConstants(workgroup));
        r.Dispatch(kernel, ((uint)channels, 1, 1), new BiasPush((uint)batch, (uint)channels, (uint)pixels),
            new CommandWork((double)batch * channels * pixels, 4.0 * ((double)batch * channels * pixels + channels)), gradient, biasGradient);
    }

    /// <summary>True when a vec4 view covers the whole tensor, so a shader may read it by aligned groups of 4.</summary>
    private static bool Vector(Tensor t) => t.Length % 4 == 0;

    private static (uint X, uint Y, uint Z) Groups(Gpu gpu, long work, uint workgroupSize)
        => ((uint)Math.Clamp((work + workgroupSize - 1) / workgroupSize, 1, Math.Min(gpu.Info.MaxWorkGroupCountX, 65535)), 1, 1);

    /// <summary>Throws naming the tensor unless it holds at least <paramref name="needed"/> elements.</summary>
    public static void RequireLength(string op, Conv2dShape s, Tensor t, string role, long needed)
    {
        if (t.Length < needed) throw new ArgumentException($"{op} {s}: {role} ({t}) needs {needed} elements, has {t.Length}");
    }
}
