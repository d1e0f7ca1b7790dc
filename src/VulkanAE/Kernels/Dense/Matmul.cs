using VulkanAE.Core;
using VulkanAE.Kernels.Activation;
using VulkanAE.Tuning;
using static VulkanAE.Core.SpecializationConstant;

namespace VulkanAE.Kernels.Dense;

/// <summary>The matmul kernels, numbered as in shaders/dense/: study why 2 beats 1 on a CPU driver and 3 on a GPU.</summary>
public enum MatmulVariant
{
    /// <summary>One output per invocation: shaders/dense/matmul_naive.comp, the readable reference.</summary>
    Naive = 1,
    /// <summary>A block of outputs per invocation in registers: matmul_register_blocked.comp, what pays on lavapipe.</summary>
    RegisterBlocked = 2,
    /// <summary>Workgroup tiles staged in shared memory: matmul_shared_tiled.comp, what pays on a discrete GPU.</summary>
    SharedMemoryTiled = 3,
    /// <summary>
    /// Variant 2 with the slab a subgroup's tiles have in common loaded once and shared by shuffles:
    /// matmul_subgroup_shared.comp, what pays most on lavapipe. Needs subgroup shuffles in compute shaders.
    /// </summary>
    SubgroupShared = 4,
    /// <summary>
    /// Variant 2's tile with a subgroup computing a 2-D block of tiles and both slabs loaded once
    /// per subgroup and shared by shuffles: matmul_subgroup_block.comp. Needs subgroup shuffles in compute shaders.
    /// </summary>
    SubgroupBlock = 5,
    /// <summary>
    /// Variant 5 with each vec4 read as one u64vec2: matmul_subgroup_block_int64.comp, half the
    /// component loads of a CPU driver. Needs subgroup shuffles in compute shaders and shaderInt64.
    /// </summary>
    SubgroupBlockInt64 = 6,
    /// <summary>
    /// Variant 5 with each vec4 fetched from an RGBA32F uniform texel buffer over A and B:
    /// matmul_subgroup_block_texel.comp. Needs subgroup shuffles in compute shaders.
    /// </summary>
    SubgroupBlockTexel = 7,
}

/// <summary>
/// Launch shape of a matmul variant: the workgroup size, the outputs each invocation computes
/// (TileM rows x TileN columns), and for the shared-memory variant the K depth of a staged tile.
/// </summary>
internal readonly record struct MatmulTiling(uint WorkgroupX, uint WorkgroupY, uint TileM, uint TileN, uint TileK = 0)
{
    public override string ToString() => TileK == 0
        ? $"{TileM}x{TileN} wg {WorkgroupX}x{WorkgroupY}"
        : $"{TileM}x{TileN}x{TileK} wg {WorkgroupX}x{WorkgroupY}";
}

/// <summary>What a matmul applies to each sum before storing it: C = activation(op(A) · op(B) + bias), bias [N].</summary>
internal sealed record MatmulEpilogue(Tensor Bias, ActivationKind Activation = ActivationKind.Identity);

/// <summary>
/// C[M,N] = op(A) · op(B) with row-major tensors: A is [M,K] ([K,M] when transposeA), B is [K,N]
/// ([N,K] when transposeB), C is [M,N]. A dense layer with PyTorch-style weights W[out,in] uses
/// Y = X · W^T (transposeB), dX = dY · W, dW = dY^T · X (transposeA).
/// </summary>
internal static class MatmulKernels
{
    private readonly record struct Shape(uint M, uint N, uint K)
    {
        /// <summary>2MNK flops; A, B read and C written once.</summary>
        public CommandWork Work(bool transposeA, bool transposeB)
            => new(2.0 * M * N * K, 4.0 * ((double)M * K + (double)K * N + (double)M * N),
                $"{M}x{N}x{K}{(transposeA ? " A^T" : "")}{(transposeB ? " B^T" : "")}");
    }

    /// <summary>
    /// Every variant's constants from matmul.glsl: the workgroup size, TRANSPOSE_A and TRANSPOSE_B, and
    /// the epilogue (BIAS, ACTIVATION); all of matmul_naive.comp's.
    /// </summary>
    private readonly record struct MatmulConstants(uint WorkgroupX, uint WorkgroupY, bool TransposeA, bool TransposeB, bool Bias, ActivationKind Activation)
        : ISpecializationConstants
    {
        public IReadOnlyList<SpecializationConstant> Constants
            => [Of(0, WorkgroupX), Of(1, WorkgroupY), Of(2, TransposeA), Of(3, TransposeB), Of(20, Bias), Of(21, Activation)];
    }

    /// <summary>matmul_register_blocked.glsl's tile (TILE_M x TILE_N outputs per invocation), vec4 loads (VECTOR_A, VECTOR_B) and vec4 stores (VECTOR_C).</summary>
    private readonly record struct RegisterBlockedConstants(MatmulConstants Matmul, uint TileM, uint TileN, bool VectorA, bool VectorB, bool VectorC)
        : ISpecializationConstants
    {
        public IReadOnlyList<SpecializationConstant> Constants
            => [.. Matmul.Constants, Of(4, TileM), Of(5, TileN), Of(6, VectorA), Of(7, VectorB), Of(10, VectorC)];
    }

    /// <summary>matmul_shared_tiled.comp's tile per invocation (TILE_M x TILE_N) and the K depth staged in shared memory (TILE_K).</summary>
    private readonly record struct SharedTiledConstants(MatmulConstants Matmul, uint TileM, uint TileN, uint TileK) : ISpecializationConstants
    {
        public IReadOnlyList<SpecializationConstant> Constants => [.. Matmul.Constants, Of(4, TileM), Of(5, TileN), Of(6, TileK)];
    }

    /// <summary>matmul_subgroup_shared.comp: variant 2's constants, the SUBGROUP_SIZE sharing a slab, and which operand's slab is shared (SHARE_A).</summary>
    private readonly record struct SubgroupSharedConstants(RegisterBlockedConstants Blocked, uint SubgroupSize, bool ShareA) : ISpecializationConstants
    {
        public IReadOnlyList<SpecializationConstant> Constants => [.. Blocked.Constants, Of(8, SubgroupSize), Of(9, ShareA)];
    }

    /// <summary>matmul_subgroup_block.comp: variant 2's constants, the SUBGROUP_SIZE and how many of its lanes are tile rows (LANE_ROWS).</summary>
    private readonly record struct SubgroupBlockConstants(RegisterBlockedConstants Blocked, uint SubgroupSize, uint LaneRows) : ISpecializationConstants
    {
        public IReadOnlyList<SpecializationConstant> Constants => [.. Blocked.Constants, Of(8, SubgroupSize), Of(9, LaneRows)];
    }

    private static readonly KernelSignature<MatmulConstants> NaiveSignature
        = KernelSignature.Of<Shape, MatmulConstants>("dense/matmul_naive", Access.Read, Access.Read, Access.Write, Access.Read);
    private static readonly KernelSignature<RegisterBlockedConstants> RegisterBlockedSignature
        = KernelSignature.Of<Shape, RegisterBlockedConstants>("dense/matmul_register_blocked", Access.Read, Access.Read, Access.Write, Access.Read);
    private static readonly KernelSignature<SharedTiledConstants> SharedTiledSignature
        = KernelSignature.Of<Shape, SharedTiledConstants>("dense/matmul_shared_tiled", Access.Read, Access.Read, Access.Write, Access.Read);
    private static readonly KernelSignature<SubgroupSharedConstants> SubgroupSharedSignature
        = KernelSignature.Of<Shape, SubgroupSharedConstants>("dense/matmul_subgroup_shared", Access.Read, Access.Read, Access.Write, Access.Read);
    private static readonly KernelSignature<SubgroupBlockConstants> SubgroupBlockSignature
        = KernelSignature.Of<Shape, SubgroupBlockConstants>("dense/matmul_subgroup_block", Access.Read, Access.Read, Access.Write, Access.Read);
    private static readonly KernelSignature<SubgroupBlockConstants> SubgroupBlockInt64Signature
        = KernelSignature.Of<Shape, SubgroupBlockConstants>("dense/matmul_subgroup_block_int64", Access.Read, Access.Read, Access.Write, Access.Read);
    /// <summary>Variant 7 reads A and B twice: element by element at bindings 0 and 1, as vec4 texels at 4 and 5.</summary>
    private static readonly KernelSignature<SubgroupBlockConstants> SubgroupBlockTexelSignature
        = KernelSignature.Of<Shape, SubgroupBlockConstants>("dense/matmul_subgroup_block_texel",
            Access.Read, Access.Read, Access.Write, Access.Read, Access.ReadTexels, Access.ReadTexels);

    /// <summary>
    /// The one place the default is chosen per device class. On a CPU driver, register blocking with
    /// both slabs loaded once per subgroup where the device has shuffles, fetched as texels (variant 7:
    /// on lavapipe 1.1-1.5x faster than variant 6's 64-bit storage loads, which were 1.2-1.4x faster
    /// than variant 5's vec4 loads; every Vulkan device reads RGBA32F uniform texel buffers), else plain
    /// register blocking: there shared memory is ordinary memory behind a costly barrier, and what
    /// limits speed is load instructions per FMA (measured in PLATFORM.md and by `vae bench`).
    /// Shared-memory tiling on a GPU, where staging tiles on chip is the classic win (reasoned; no
    /// GPU measured yet).
    /// </summary>
    public static MatmulVariant DefaultVariant(DeviceInfo device)
        => !device.IsCpu ? MatmulVariant.SharedMemoryTiled
            : device.SubgroupShuffleInCompute ? MatmulVariant.SubgroupBlockTexel : MatmulVariant.RegisterBlocked;

    public static bool IsSupported(DeviceInfo device, MatmulVariant variant) => variant switch
    {
        MatmulVariant.SubgroupShared or MatmulVariant.SubgroupBlock or MatmulVariant.SubgroupBlockTexel => device.SubgroupShuffleInCompute,
        MatmulVariant.SubgroupBlockInt64 => device.SubgroupShuffleInCompute && device.ShaderInt64,
        _ => true,
    };

    /// <summary>Variants whose workgroups are 1-D runs of whole subgroups.</summary>
    public static bool UsesSubgroups(MatmulVariant variant)
        => variant is MatmulVariant.SubgroupShared or MatmulVariant.SubgroupBlock or MatmulVariant.SubgroupBlockInt64 or MatmulVariant.SubgroupBlockTexel;

    /// <summary>The launch shape of a variant on a device; see each case for why.</summary>
    public static MatmulTiling DefaultTiling(DeviceInfo device, MatmulVariant variant)
    {
        // A GPU wants at least a few warps per workgroup; 16 x 16 = 256 is within most devices'
        // limits, 16 x 8 = 128 is the Vulkan minimum every device supports.
        uint gpuRows = device.MaxWorkGroupInvocations >= 256 ? 16u : 8u;
        return variant switch
        {
            // A CPU driver runs a subgroup per SIMD step (lavapipe: 4 to 16 lanes): 8 x 8 = 64 is
            // whole subgroups and keeps workgroups numerous enough for every core on small products.
            MatmulVariant.Naive => device.IsCpu ? new(8, 8, 1, 1) : new(16, gpuRows, 1, 1),
            // Measured on lavapipe (`vae bench`, 2 cores): 8 x 8 outputs per invocation is the
            // best or near it on every fc-ae product (10-21 GFLOP/s, vs 3-9 for 4 x 4 and 4 x 8):
            // fewer loads per FMA. 8 x 16 and 12 x 8 gain at 1024^3 but lose on small products.
            // A GPU keeps 4 x 4 to leave registers for occupancy.
            MatmulVariant.RegisterBlocked => device.IsCpu ? new(8, 8, 8, 8) : new(16, gpuRows, 4, 4),
            // 64 x 64 output blocks, 16 deep in K: 8 KiB of shared memory, under every device's 16 KiB minimum.
            MatmulVariant.SharedMemoryTiled => device.IsCpu ? new(8, 8, 4, 4, 16) : new(16, gpuRows, 4, 4, 16),
            // Variant 2's tiles in 1-D workgroups of whole subgroups (subgroup sizes are powers of two).
            MatmulVariant.SubgroupShared => device.IsCpu
                ? new(Math.Max(64u, device.SubgroupSize), 1, 8, 8)
                : new(Math.Max(128u, device.SubgroupSize), 1, 4, 4),
            // CPU, measured on lavapipe (8 lanes, fc-vae and fc-ae products): 16 x 8 tiles, the
            // subgroup's block 32 x 32, is the best or near it on most products; 8 x 8 loads twice as
            // much per FMA, 16 x 16 and 32 x 16 spill more than they save. One subgroup per
            // workgroup balances the cores best. GPU: 4 x 4 tiles and several warps, as variant 4.
            MatmulVariant.SubgroupBlock or MatmulVariant.SubgroupBlockInt64 or MatmulVariant.SubgroupBlockTexel => device.IsCpu
                ? new(device.SubgroupSize, 1, 16, 8)
                : new(Math.Max(128u, device.SubgroupSize), 1, 4, 4),
            _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, "unknown matmul variant"),
        };
    }

    /// <summary>
    /// C = op(A) · op(B), or with an epilogue activation(op(A) · op(B) + bias); without a variant, the
    /// device's kernel choice for this shape (Tuning/), else its default.
    /// </summary>
    public static void Multiply(SequenceRecorder r, Tensor a, Tensor b, Tensor c, int m, int n, int k,
        bool transposeA, bool transposeB, MatmulVariant? variant = null, MatmulEpilogue? epilogue = null)
    {
        var (chosen, tiling) = variant is { } given
            ? new MatmulChoice(given, DefaultTiling(r.Gpu.Info, given))
            : r.Gpu.KernelChoices.Choose(r.Gpu.Info, new MatmulTunable(m, n, k, transposeA, transposeB));
        Multiply(r, a, b, c, m, n, k, transposeA, transposeB, chosen, tiling, epilogue);
    }

    /// <summary>C = op(A) · op(B) with an explicit launch shape: for benchmarks and tests of tile shapes.</summary>
    internal static void Multiply(SequenceRecorder r, Tensor a, Tensor b, Tensor c, int m, int n, int k,
        bool transposeA, bool transposeB, MatmulVariant variant, MatmulTiling tiling, MatmulEpilogue? epilogue = null)
    {
        if (m < 1 || n < 1 || k < 1) throw new ArgumentException($"matmul: sizes must be positive, got M={m}, N={n}, K={k}");
        RequireLength(a, (long)m * k, "A", m, n, k);
        RequireLength(b, (long)k * n, "B", m, n, k);
        RequireLength(c, (long)m * n, "C", m, n, k);
        if (epilogue is not null) RequireLength(epilogue.Bias, n, "bias", m, n, k);
        if (!IsSupported(r.Gpu.Info, variant))
            throw new NotSupportedException($"matmul variant {(int)variant} ({variant}) needs subgroup shuffles in compute shaders" +
                $"{(variant == MatmulVariant.SubgroupBlockInt64 ? " and shaderInt64" : "")}, which {r.Gpu.Info.Name} does not offer.");
        var matmul = new MatmulConstants(tiling.WorkgroupX, tiling.WorkgroupY, transposeA, transposeB,
            Bias: epilogue is not null, epilogue?.Activation ?? ActivationKind.Identity);
        // Without a bias, binding 3 holds A, which the shader then never reads.
        var operands = new[] { a, b, c, epilogue?.Bias ?? a };
        var blocked = new RegisterBlockedConstants(matmul, tiling.TileM, tiling.TileN,
            VectorA: VectorLoads(transposeA ? m : k, !transposeA || tiling.TileM % 4 == 0),
            VectorB: VectorLoads(transposeB ? k : n, transposeB || tiling.TileN % 4 == 0),
            VectorC: VectorLoads(n, tiling.TileN % 4 == 0));
        var shape = new Shape((uint)m, (uint)n, (uint)k);
        var work = shape.Work(transposeA, transposeB);
        if (variant == MatmulVariant.SubgroupShared)
        {
            MultiplySubgroupShared(r, operands, shape, work, tiling, blocked);
            return;
        }
        if (variant is MatmulVariant.SubgroupBlock or MatmulVariant.SubgroupBlockInt64 or MatmulVariant.SubgroupBlockTexel)
        {
            MultiplySubgroupBlock(r, operands, shape, work, variant, tiling, blocked);
            return;
        }
        var kernel = variant switch
        {
            MatmulVariant.Naive => r.Gpu.Kernel(NaiveSignature, matmul),
            MatmulVariant.RegisterBlocked => r.Gpu.Kernel(RegisterBlockedSignature, blocked),
            MatmulVariant.SharedMemoryTiled => r.Gpu.Kernel(SharedTiledSignature, new SharedTiledConstants(matmul, tiling.TileM, tiling.TileN, tiling.TileK)),
            _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, "unknown matmul variant"),
        };
        uint blockCols = tiling.WorkgroupX * tiling.TileN, blockRows = tiling.WorkgroupY * tiling.TileM;
        var groups = ((uint)((n + blockCols - 1) / blockCols), (uint)((m + blockRows - 1) / blockRows), 1u);
        r.Dispatch(kernel, groups, shape, work, operands);
    }

    /// <summary>
    /// Variant 4: 1-D workgroups of whole subgroups walk the tiles; the operand with fewer tiles
    /// along its side is shared (A when the rows have fewer tiles), so the other side, padded to
    /// whole subgroups, wastes the least.
    /// </summary>
    private static void MultiplySubgroupShared(SequenceRecorder r, Tensor[] operands, Shape shape, CommandWork work,
        MatmulTiling tiling, RegisterBlockedConstants blocked)
    {
        uint subgroup = RequireWholeSubgroups(r.Gpu.Info, MatmulVariant.SubgroupShared, tiling);
        uint rowTiles = Ceil(shape.M, tiling.TileM), colTiles = Ceil(shape.N, tiling.TileN);
        bool shareA = rowTiles <= colTiles;
        var kernel = r.Gpu.Kernel(SubgroupSharedSignature, new SubgroupSharedConstants(blocked, subgroup, shareA));
        long tiles = (long)(shareA ? rowTiles : colTiles) * Ceil(shareA ? colTiles : rowTiles, subgroup) * subgroup;
        r.Dispatch(kernel, (Groups(r.Gpu, tiles, tiling.WorkgroupX), 1u, 1u), shape, work, operands);
    }

    /// <summary>
    /// Variants 5, 6 and 7: each subgroup computes blocks of LaneRows x (subgroup / LaneRows) tiles, one
    /// block at a time, in 1-D workgroups of whole subgroups.
    /// </summary>
    private static void MultiplySubgroupBlock(SequenceRecorder r, Tensor[] operands, Shape shape, CommandWork work,
        MatmulVariant variant, MatmulTiling tiling, RegisterBlockedConstants blocked)
    {
        uint subgroup = RequireWholeSubgroups(r.Gpu.Info, variant, tiling);
        uint laneRows = LaneRows(subgroup), laneCols = subgroup / laneRows;
        // Variant 7 on an operand that is no texel buffer (fewer than 4 elements, a view the device
        // cannot offset a texel buffer to): the same body with storage-buffer loads, variant 5.
        if (variant == MatmulVariant.SubgroupBlockTexel && (operands[0].TexelViewProblem() ?? operands[1].TexelViewProblem()) is not null)
            variant = MatmulVariant.SubgroupBlock;
        var signature = variant switch
        {
            MatmulVariant.SubgroupBlockInt64 => SubgroupBlockInt64Signature,
            MatmulVariant.SubgroupBlockTexel => SubgroupBlockTexelSignature,
            _ => SubgroupBlockSignature,
        };
        var kernel = r.Gpu.Kernel(signature, new SubgroupBlockConstants(blocked, subgroup, laneRows));
        if (variant == MatmulVariant.SubgroupBlockTexel) operands = [.. operands, operands[0], operands[1]];
        long blocks = (long)Ceil(shape.M, laneRows * tiling.TileM) * Ceil(shape.N, laneCols * tiling.TileN);
        r.Dispatch(kernel, (Groups(r.Gpu, blocks * subgroup, tiling.WorkgroupX), 1u, 1u), shape, work, operands);
    }

    /// <summary>The device's subgroup size, after checking that the tiling's workgroup is 1-D and made of whole subgroups.</summary>
    private static uint RequireWholeSubgroups(DeviceInfo device, MatmulVariant variant, MatmulTiling tiling)
    {
        uint subgroup = device.SubgroupSize;
        if (tiling.WorkgroupY != 1 || tiling.WorkgroupX % subgroup != 0)
            throw new ArgumentException($"matmul variant {(int)variant} needs a 1-D workgroup of whole subgroups ({subgroup} invocations each), got {tiling}");
        return subgroup;
    }

    /// <summary>Workgroups for <paramref name="invocations"/> in groups of <paramref name="workgroupSize"/>, within the device's limit (the shaders loop past it).</summary>
    private static uint Groups(Gpu gpu, long invocations, uint workgroupSize)
        => (uint)Math.Clamp((invocations + workgroupSize - 1) / workgroupSize, 1, gpu.Info.MaxWorkGroupCountX);

    /// <summary>
    /// Tile rows of variant 5's block: the largest power of two whose square fits the subgroup, so
    /// the block is as square as the lanes allow (2 x 4 tiles for 8 lanes, 4 x 4 for 16, 4 x 8 for 32).
    /// </summary>
    internal static uint LaneRows(uint subgroupSize)
    {
        uint rows = 1;
        while (rows * 2 * rows * 2 <= subgroupSize) rows *= 2;
        return rows;
    }

    private static uint Ceil(uint a, uint b) => (a + b - 1) / b;

    /// <summary>
    /// Spec constant VECTOR_A/B/C of the register-blocked shader: aligned vec4 loads and stores run
    /// along the matrix's contiguous dimension, so its length must be a multiple of 4 (and so must
    /// the tile side when that dimension is M or N).
    /// </summary>
    private static bool VectorLoads(int contiguousLength, bool tileAligned) => contiguousLength % 4 == 0 && tileAligned;

    private static void RequireLength(Tensor t, long needed, string role, int m, int n, int k)
    {
        if (t.Length < needed)
            throw new ArgumentException($"matmul M={m}, N={n}, K={k}: {role} ({t}) needs {needed} elements, has {t.Length}");
    }
}

/// <summary>CPU reference of <see cref="MatmulKernels"/>, accumulating in double: the oracle of its tests.</summary>
internal static class MatmulReference
{
    public static float[] Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int m, int n, int k, bool transposeA, bool transposeB)
    {
        var c = new float[m * n];
        for (int row = 0; row < m; row++)
            for (int col = 0; col < n; col++)
            {
                double sum = 0;
                for (int i = 0; i < k; i++)
                    sum += (double)a[transposeA ? i * m + row : row * k + i] * b[transposeB ? col * k + i : i * n + col];
                c[row * n + col] = (float)sum;
            }
        return c;
    }
}
