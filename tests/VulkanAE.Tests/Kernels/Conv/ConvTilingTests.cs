using VulkanAE.Core;
using VulkanAE.Kernels.Conv;
using VulkanAE.Tuning;
using static VulkanAE.Tests.Kernels.Conv.ConvTestCases;

namespace VulkanAE.Tests.Kernels.Conv;

/// <summary>
/// The register-blocked passes (variants 2 and 3) with launch shapes other than this device's
/// defaults: the ones a CPU and a GPU would get, and odd tiles that divide nothing, against the
/// CPU reference.
/// </summary>
public class ConvTilingTests : GpuTest
{
    public enum Tilings { Cpu, Gpu, Odd }

    private static readonly ConvVariant[] BlockedVariants = [ConvVariant.RegisterBlocked, ConvVariant.SubgroupShared];

    private static IEnumerable<TestCaseData> Cases()
        => Shapes.SelectMany((s, i) => Enum.GetValues<Tilings>().SelectMany(t => BlockedVariants.Select(v =>
            new TestCaseData(i, t, v).SetArgDisplayNames(Name(s), t.ToString(), $"{(int)v}-{v}"))));

    private DeviceInfo Device(Tilings tilings) => Gpu.Info with { IsCpu = tilings == Tilings.Cpu, MaxWorkGroupInvocations = 1024 };

    // Odd tiles in workgroups of whole subgroups of this device (variant 3 needs them; GPUs have 32 or
    // 64 lanes); a scatter's column tiles are multiples of the stride. Three rows per tile: rows past
    // the image's last, and (in a scatter) rows of one phase sharing source rows.
    private ConvTiling PassTiling(Tilings tilings, Conv2dShape s, bool scatter, ConvVariant variant) => tilings == Tilings.Odd
        ? new ConvTiling(2 * Gpu.Info.SubgroupSize, 3, scatter ? 5u * (uint)s.Stride : 5, TileRows: 3)
        : ConvPasses.DefaultTiling(Device(tilings), s, scatter, variant);

    // Odd tiles share gradient rows in variant 3 whatever the shape, so its padding tiles are exercised too.
    private ConvWeightTiling WeightTiling(Tilings tilings, Conv2dShape s, ConvVariant variant) => tilings == Tilings.Odd
        ? new ConvWeightTiling(Gpu.Info.SubgroupSize, 3, 2, 5, (uint)Math.Min(s.Batch, 2), variant == ConvVariant.SubgroupShared ? Gpu.Info.SubgroupSize : 1)
        : ConvPasses.DefaultWeightTiling(Device(tilings), s, variant);

    [TestCaseSource(nameof(Cases))]
    public void AllPassesMatchReference(int shape, Tilings tilings, ConvVariant variant)
    {
        var s = Shapes[shape];
        var d = ConvData.Random(s, shape);
        var weightTiling = WeightTiling(tilings, s, variant);
        using var t = new ConvPassTensors(Gpu, s, d, ConvPasses.WorkspaceLength(s, weightTiling));
        var (narrowGradient, wide) = s.Transposed ? (t.X, t.Dy) : (t.Dy, t.X);
        Gpu.Run(r =>
        {
            ConvPasses.GatherOrScatter(r, s, s.Transposed, t.X, t.W, t.B, t.Y, variant, PassTiling(tilings, s, s.Transposed, variant));
            ConvPasses.GatherOrScatter(r, s, !s.Transposed, t.Dy, t.W, null, t.Dx, variant, PassTiling(tilings, s, !s.Transposed, variant));
            ConvPasses.Correlate(r, s, narrowGradient, wide, t.Dw, t.Workspace, variant, weightTiling);
        });
        AssertConvClose(t.Y.ToArray(), ReferenceForward(s, d), ForwardTerms(s), "y");
        AssertConvClose(t.Dx.ToArray(), ReferenceBackwardInput(s, d), ForwardTerms(s), "dx");
        AssertConvClose(t.Dw.ToArray(), ReferenceBackwardWeight(s, d), WeightTerms(s), "dw");
    }

    [Test]
    public void ColumnTilesWasteNoColumnsOnTheModelsWidths()
    {
        foreach (int width in new[] { 7, 14, 28 })
        {
            var tiling = ConvPasses.DefaultTiling(Device(Tilings.Cpu), new Conv2dShape(1, 32, width, width, 32, 3, 1, 1), false, ConvVariant.RegisterBlocked);
            Assert.That(width % tiling.TileColumns, Is.Zero, $"width {width}: tile {tiling}");
        }
    }

    [Test]
    public void DefaultWorkgroupsAreWholeSubgroupsOfAnySize()
    {
        foreach (uint lanes in new uint[] { 4, 8, 16, 32, 64, 128 })
            foreach (bool cpu in new[] { true, false })
            {
                var device = Gpu.Info with { SubgroupSize = lanes, IsCpu = cpu, SubgroupShuffleInCompute = true };
                foreach (var s in Shapes)
                {
                    // The weight gradient shares rows only where its wide tiles fill whole subgroups; then it needs whole subgroups.
                    var weight = ConvPasses.DefaultWeightTiling(device, s, ConvVariant.SubgroupShared);
                    Assert.That(weight.WorkgroupSize % weight.RowSharingLanes, Is.Zero, $"{lanes} lanes, {(cpu ? "CPU" : "GPU")}, {Name(s)}: weight gradient {weight}");
                    foreach (bool scatter in new[] { false, true })
                    {
                        var pass = ConvPasses.DefaultTiling(device, s, scatter, ConvVariant.SubgroupShared);
                        Assert.That(pass.WorkgroupSize % lanes, Is.Zero, $"{lanes} lanes, {(cpu ? "CPU" : "GPU")}, {Name(s)}: {(scatter ? "scatter" : "gather")} {pass}");
                    }
                }
            }
    }

    [Test]
    public void AScatterTileThatIsNoMultipleOfTheStrideIsRefusedByThePassAndTheTuner()
    {
        var s = new Conv2dShape(1, 3, 7, 7, 5, 3, 2, 1, 1, Transposed: true);
        using var t = new ConvPassTensors(Gpu, s, ConvData.Random(s, 1), 0);
        var tiling = new ConvTiling(Gpu.Info.SubgroupSize, 2, 5);
        var error = Assert.Throws<ArgumentException>(() => Gpu.Run(r =>
            ConvPasses.GatherOrScatter(r, s, scatter: true, t.X, t.W, t.B, t.Y, ConvVariant.RegisterBlocked, tiling)));
        Assert.That(error!.Message, Does.Contain("multiple of the stride"));
        Assert.That(new ConvPassTunable(s, scatter: true).CanRun(Gpu.Info, new ConvPassChoice(ConvVariant.RegisterBlocked, tiling)), Is.False);
        Assert.That(new ConvPassTunable(s, scatter: true).CanRun(Gpu.Info, new ConvPassChoice(ConvVariant.RegisterBlocked, tiling with { TileColumns = 6 })), Is.True);
    }

    [Test]
    public void VariantThreeIsTheDefaultOnlyOnCpusWithShufflesAndOthersGetAClearError()
    {
        var device = Gpu.Info with { SubgroupShuffleInCompute = false };
        Assert.That(ConvPasses.DefaultVariant(device with { IsCpu = true }), Is.EqualTo(ConvVariant.RegisterBlocked));
        Assert.That(ConvPasses.DefaultVariant(device with { IsCpu = true, SubgroupShuffleInCompute = true }), Is.EqualTo(ConvVariant.SubgroupShared));
        Assert.That(ConvPasses.DefaultVariant(device with { IsCpu = false, SubgroupShuffleInCompute = true }), Is.EqualTo(ConvVariant.RegisterBlocked));
        var error = Assert.Throws<NotSupportedException>(() => ConvPasses.RequireSupported(device, ConvVariant.SubgroupShared));
        Assert.That(error!.Message, Does.Contain("subgroup shuffles").And.Contain(device.Name));
    }
}
