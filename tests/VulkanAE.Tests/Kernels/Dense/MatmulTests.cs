using VulkanAE.Core;
using VulkanAE.Kernels.Activation;
using VulkanAE.Kernels.Dense;

namespace VulkanAE.Tests.Kernels.Dense;

public class MatmulTests : GpuTest
{
    /// <summary>Odd sizes (no multiple of a tile), then the three products of each fc-ae layer at batch 13.</summary>
    private static readonly (int M, int N, int K)[] Shapes =
    [
        (1, 1, 1), (7, 5, 3), (33, 17, 65), (129, 257, 31),
        .. new[] { (784, 128), (128, 32), (32, 128), (128, 784) }.SelectMany(layer => new[]
        {
            (13, layer.Item2, layer.Item1), // forward: Y[batch, out] = X · W^T
            (13, layer.Item1, layer.Item2), // dX[batch, in] = dY · W
            (layer.Item2, layer.Item1, 13), // dW[out, in] = dY^T · X
        }),
    ];

    /// <summary>
    /// Every variant with the launch shapes chosen for a CPU and for a GPU, and other register tiles,
    /// odd ones included. The subgroup variants' WorkgroupX counts subgroups (InSubgroups), since the
    /// subgroup size is the device's: 4 to 16 lanes on lavapipe, 32 or 64 on GPUs.
    /// </summary>
    private static readonly (MatmulVariant Variant, MatmulTiling Tiling, bool InSubgroups)[] Launches =
    [
        (MatmulVariant.Naive, new(8, 8, 1, 1), false),
        (MatmulVariant.Naive, new(16, 16, 1, 1), false),
        (MatmulVariant.RegisterBlocked, new(8, 8, 4, 8), false),
        (MatmulVariant.RegisterBlocked, new(8, 8, 4, 4), false),
        (MatmulVariant.RegisterBlocked, new(8, 8, 8, 4), false),
        (MatmulVariant.RegisterBlocked, new(8, 8, 6, 8), false),
        (MatmulVariant.RegisterBlocked, new(8, 8, 8, 8), false),
        (MatmulVariant.RegisterBlocked, new(8, 8, 8, 16), false),
        (MatmulVariant.RegisterBlocked, new(16, 16, 4, 4), false),
        (MatmulVariant.SharedMemoryTiled, new(8, 8, 4, 4, 16), false),
        (MatmulVariant.SharedMemoryTiled, new(16, 16, 4, 4, 16), false),
        (MatmulVariant.SubgroupShared, new(8, 1, 8, 8), true),
        (MatmulVariant.SubgroupShared, new(1, 1, 4, 4), true),
        (MatmulVariant.SubgroupShared, new(2, 1, 3, 5), true),
        (MatmulVariant.SubgroupShared, new(1, 1, 12, 8), true),
        (MatmulVariant.SubgroupBlock, new(1, 1, 16, 8), true),
        (MatmulVariant.SubgroupBlock, new(2, 1, 3, 5), true),
        (MatmulVariant.SubgroupBlock, new(8, 1, 4, 8), true),
        (MatmulVariant.SubgroupBlockInt64, new(1, 1, 16, 8), true),
        (MatmulVariant.SubgroupBlockInt64, new(2, 1, 3, 5), true),
        (MatmulVariant.SubgroupBlockInt64, new(8, 1, 4, 8), true),
        (MatmulVariant.SubgroupBlockTexel, new(1, 1, 16, 8), true),
        (MatmulVariant.SubgroupBlockTexel, new(2, 1, 3, 5), true),
        (MatmulVariant.SubgroupBlockTexel, new(8, 1, 4, 8), true),
    ];

    private static IEnumerable<TestCaseData> LaunchCases()
        => Launches.Select((l, i) => new TestCaseData(i).SetArgDisplayNames($"{(int)l.Variant}-{l.Variant}",
            l.InSubgroups ? $"{l.Tiling.TileM}x{l.Tiling.TileN} wg {l.Tiling.WorkgroupX} subgroups" : l.Tiling.ToString()));

    /// <summary>Launch <paramref name="launch"/> on this device: subgroup workgroups sized by its subgroup size.</summary>
    private (MatmulVariant Variant, MatmulTiling Tiling) Launch(int launch)
    {
        var (variant, tiling, inSubgroups) = Launches[launch];
        Assume.That(MatmulKernels.IsSupported(Gpu.Info, variant), $"{Gpu.Info.Name} lacks what matmul variant {variant} needs");
        return (variant, inSubgroups ? tiling with { WorkgroupX = tiling.WorkgroupX * Gpu.Info.SubgroupSize } : tiling);
    }

    private static readonly bool[] NoYes = [false, true];

    private static void CheckAgainstReference(Func<float[], float[], int, int, int, bool, bool, float[]> multiply)
    {
        var random = new Random(11);
        foreach (var (m, n, k) in Shapes)
            foreach (var transposeA in NoYes)
                foreach (var transposeB in NoYes)
                {
                    var a = RandomArray(random, m * k);
                    var b = RandomArray(random, k * n);
                    // fp32 accumulation over K: rounding error grows with K; the reference sums in double.
                    AssertClose(multiply(a, b, m, n, k, transposeA, transposeB),
                        MatmulReference.Multiply(a, b, m, n, k, transposeA, transposeB),
                        rtol: 1e-5f, atol: 2e-6f * k, what: $"{m}x{n}x{k} transposeA={transposeA} transposeB={transposeB}");
                }
    }

    private float[] Multiply(float[] a, float[] b, int m, int n, int k, bool transposeA, bool transposeB, Action<SequenceRecorder, Tensor, Tensor, Tensor> record)
    {
        using var ta = Gpu.CreateTensor("a", a);
        using var tb = Gpu.CreateTensor("b", b);
        using var tc = Gpu.CreateTensor("c", m * n);
        Gpu.Run(r => record(r, ta, tb, tc));
        return tc.ToArray();
    }

    [TestCaseSource(nameof(LaunchCases))]
    public void MatchesReference(int launch)
    {
        var (variant, tiling) = Launch(launch);
        CheckAgainstReference((a, b, m, n, k, ta, tb) => Multiply(a, b, m, n, k, ta, tb,
            (r, x, y, z) => MatmulKernels.Multiply(r, x, y, z, m, n, k, ta, tb, variant, tiling)));
    }

    /// <summary>
    /// The epilogue, C = activation(op(A) · op(B) + bias), in every launch: each activation on odd
    /// sizes, against the references of the matmul, the bias and the activation composed.
    /// </summary>
    [TestCaseSource(nameof(LaunchCases))]
    public void EpilogueAddsTheBiasAndAppliesTheActivation(int launch)
    {
        var (variant, tiling) = Launch(launch);
        var random = new Random(12);
        var kinds = Enum.GetValues<ActivationKind>();
        var shapes = new[] { (7, 5, 3), (33, 17, 65), (129, 257, 31), (13, 400, 784) };
        for (int s = 0; s < shapes.Length; s++)
            foreach (var transposeB in NoYes)
            {
                var (m, n, k) = shapes[s];
                var kind = kinds[(2 * s + (transposeB ? 1 : 0)) % kinds.Length];
                var a = RandomArray(random, m * k);
                var b = RandomArray(random, k * n);
                var bias = RandomArray(random, n);
                using var tbias = Gpu.CreateTensor("bias", bias);
                var product = MatmulReference.Multiply(a, b, m, n, k, transposeA: false, transposeB);
                var expected = BiasReference.Add(product, bias, m, n).Select(x => ActivationReference.Apply(kind, x)).ToArray();
                AssertClose(Multiply(a, b, m, n, k, false, transposeB,
                        (r, x, y, z) => MatmulKernels.Multiply(r, x, y, z, m, n, k, false, transposeB, variant, tiling, new MatmulEpilogue(tbias, kind))),
                    expected, rtol: 1e-5f, atol: 2e-6f * k, what: $"{kind}({m}x{n}x{k} transposeB={transposeB} + bias)");
            }
    }

    [Test]
    public void DefaultVariantMatchesReference()
        => CheckAgainstReference((a, b, m, n, k, ta, tb) => Multiply(a, b, m, n, k, ta, tb,
            (r, x, y, z) => MatmulKernels.Multiply(r, x, y, z, m, n, k, ta, tb)));

    [Test]
    public void DefaultIsSubgroupBlockTexelOnACpuDriverWithShufflesRegisterBlockedWithoutAndSharedMemoryOnAGpu()
    {
        var cpu = Gpu.Info with { IsCpu = true };
        Assert.That(MatmulKernels.DefaultVariant(cpu with { SubgroupShuffleInCompute = true, ShaderInt64 = false }), Is.EqualTo(MatmulVariant.SubgroupBlockTexel));
        Assert.That(MatmulKernels.DefaultVariant(cpu with { SubgroupShuffleInCompute = true, ShaderInt64 = true }), Is.EqualTo(MatmulVariant.SubgroupBlockTexel));
        Assert.That(MatmulKernels.DefaultVariant(cpu with { SubgroupShuffleInCompute = false }), Is.EqualTo(MatmulVariant.RegisterBlocked));
        Assert.That(MatmulKernels.DefaultVariant(Gpu.Info with { IsCpu = false }), Is.EqualTo(MatmulVariant.SharedMemoryTiled));
    }

    [Test]
    public void SubgroupWorkgroupsAreWholeSubgroupsOfAnySize()
    {
        foreach (uint lanes in new uint[] { 4, 8, 16, 32, 64, 128 })
            foreach (bool cpu in new[] { true, false })
            {
                var device = Gpu.Info with { SubgroupSize = lanes, IsCpu = cpu, SubgroupShuffleInCompute = true };
                foreach (var variant in new[] { MatmulVariant.SubgroupShared, MatmulVariant.SubgroupBlock, MatmulVariant.SubgroupBlockInt64, MatmulVariant.SubgroupBlockTexel })
                {
                    var tiling = MatmulKernels.DefaultTiling(device, variant);
                    Assert.That(tiling.WorkgroupX % lanes, Is.Zero, $"{lanes} lanes, {(cpu ? "CPU" : "GPU")}, variant {variant}: {tiling}");
                }
                uint rows = MatmulKernels.LaneRows(lanes);
                Assert.That(lanes % rows == 0 && rows <= lanes / rows && lanes / rows <= 2 * rows, $"{lanes} lanes as {rows} tile rows: not a near-square block");
            }
    }

    [Test]
    public void APartialSubgroupWorkgroupIsRefusedWithTheSubgroupSize()
    {
        uint lanes = Gpu.Info.SubgroupSize;
        using var a = Gpu.CreateTensor("a", 64);
        using var b = Gpu.CreateTensor("b", 64);
        using var c = Gpu.CreateTensor("c", 64);
        foreach (var variant in new[] { MatmulVariant.SubgroupShared, MatmulVariant.SubgroupBlock })
        {
            var error = Assert.Throws<ArgumentException>(() => Gpu.Run(r =>
                MatmulKernels.Multiply(r, a, b, c, 8, 8, 8, false, false, variant, new MatmulTiling(lanes + 1, 1, 4, 4))));
            Assert.That(error!.Message, Does.Contain("whole subgroups").And.Contain($"{lanes} invocations"));
        }
    }

    [Test]
    public void TooSmallATensorNamesTheOperand()
    {
        using var a = Gpu.CreateTensor("weights", 10);
        using var b = Gpu.CreateTensor("b", 12);
        using var c = Gpu.CreateTensor("c", 12);
        var error = Assert.Throws<ArgumentException>(() => Gpu.Run(r => MatmulKernels.Multiply(r, a, b, c, 3, 4, 4, false, false)));
        Assert.That(error!.Message, Does.Contain("weights").And.Contain("needs 12"));
    }
}
