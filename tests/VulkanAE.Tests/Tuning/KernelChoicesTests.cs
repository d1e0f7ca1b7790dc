using System.Text.Json;
using VulkanAE.Core;
using VulkanAE.Kernels.Conv;
using VulkanAE.Kernels.Dense;
using VulkanAE.Tests.Kernels.Conv;
using VulkanAE.Tuning;

namespace VulkanAE.Tests.Tuning;

/// <summary>
/// The choice points follow the device's kernel choices: which kernel a recorded command
/// dispatches, with which launch shape, and the default where there is no usable choice. The
/// fixture's device is shared, so every test uses shapes of its own.
/// </summary>
public class KernelChoicesTests : GpuTest
{
    private static SequenceRecorder.DispatchCommand[] Dispatches(SequenceRecorder r) => r.Commands.OfType<SequenceRecorder.DispatchCommand>().ToArray();

    private float[] Multiply(float[] a, float[] b, int m, int n, int k, out SequenceRecorder.DispatchCommand[] dispatched)
    {
        using var ta = Gpu.CreateTensor("a", a);
        using var tb = Gpu.CreateTensor("b", b);
        using var tc = Gpu.CreateTensor("c", m * n);
        SequenceRecorder? recorded = null;
        Gpu.Run(r =>
        {
            MatmulKernels.Multiply(r, ta, tb, tc, m, n, k, transposeA: false, transposeB: true);
            recorded = r;
        });
        dispatched = Dispatches(recorded!);
        return tc.ToArray();
    }

    private void Give<TChoice>(TunableOp<TChoice> op, TChoice choice) where TChoice : struct
        => Gpu.KernelChoices.Set([KeyValuePair.Create(op.Key, op.ToJson(choice))]);

    [Test]
    public void AMatmulChoiceForcesItsVariantAndLaunchShape()
    {
        var random = new Random(3);
        foreach (var (m, n, k, choice, shader) in new[]
        {
            (19, 23, 9, new MatmulChoice(MatmulVariant.Naive, new MatmulTiling(8, 8, 1, 1)), "dense/matmul_naive"),
            (21, 37, 11, new MatmulChoice(MatmulVariant.RegisterBlocked, new MatmulTiling(8, 4, 4, 8)), "dense/matmul_register_blocked"),
        })
        {
            Give(new MatmulTunable(m, n, k, transposeA: false, transposeB: true), choice);
            var a = RandomArray(random, m * k);
            var b = RandomArray(random, n * k);
            var c = Multiply(a, b, m, n, k, out var dispatched);
            Assert.That(dispatched.Single().Kernel.Name, Is.EqualTo(shader));
            var t = choice.Tiling;
            Assert.That((dispatched[0].GroupsX, dispatched[0].GroupsY),
                Is.EqualTo(((uint)Math.Ceiling(n / (double)(t.WorkgroupX * t.TileN)), (uint)Math.Ceiling(m / (double)(t.WorkgroupY * t.TileM)))),
                "the workgroups of the chosen launch shape");
            AssertClose(c, MatmulReference.Multiply(a, b, m, n, k, false, true), atol: 1e-5f, what: shader);
        }
    }

    [Test]
    public void WithoutAChoiceTheDefaultRunsAndTheOpIsMissing()
    {
        var op = new MatmulTunable(25, 29, 13, transposeA: false, transposeB: true);
        var random = new Random(4);
        Multiply(RandomArray(random, 25 * 13), RandomArray(random, 29 * 13), 25, 29, 13, out var dispatched);
        var defaultVariant = MatmulKernels.DefaultVariant(Gpu.Info);
        Assert.That(dispatched.Single().Kernel.Name, Does.EndWith(defaultVariant switch
        {
            MatmulVariant.SubgroupShared => "subgroup_shared",
            MatmulVariant.SubgroupBlock => "subgroup_block",
            MatmulVariant.SubgroupBlockInt64 => "subgroup_block_int64",
            MatmulVariant.SubgroupBlockTexel => "subgroup_block_texel",
            MatmulVariant.SharedMemoryTiled => "shared_tiled",
            _ => "register_blocked",
        }));
        Assert.That(Gpu.KernelChoices.Missing.Select(o => o.Key), Does.Contain(op.Key));
        Assert.That(MatmulTunable.FromJson(Gpu.KernelChoices.Chosen[op.Key]), Is.EqualTo(op.Default(Gpu.Info)), "a run records the defaults it used too");
    }

    [Test]
    public void AChoiceThisDeviceCannotRunOrReadGivesWayToTheDefault()
    {
        var random = new Random(5);
        var unrunnable = new MatmulTunable(27, 31, 15, transposeA: false, transposeB: true);
        Give(unrunnable, new MatmulChoice(MatmulVariant.SubgroupShared, new MatmulTiling(8, 2, 4, 4))); // variant 4 needs 1-D workgroups
        var unreadable = new MatmulTunable(27, 31, 17, transposeA: false, transposeB: true);
        Gpu.KernelChoices.Set([KeyValuePair.Create(unreadable.Key, JsonDocument.Parse("{\"Variant\": \"Fastest\"}").RootElement)]);

        Multiply(RandomArray(random, 27 * 15), RandomArray(random, 31 * 15), 27, 31, 15, out _);
        Multiply(RandomArray(random, 27 * 17), RandomArray(random, 31 * 17), 27, 31, 17, out _);
        Assert.That(MatmulTunable.FromJson(Gpu.KernelChoices.Chosen[unrunnable.Key]), Is.EqualTo(unrunnable.Default(Gpu.Info)));
        Assert.That(MatmulTunable.FromJson(Gpu.KernelChoices.Chosen[unreadable.Key]), Is.EqualTo(unreadable.Default(Gpu.Info)));
    }

    [Test]
    public void ConvChoicesForceTheirVariantsInEveryPass()
    {
        var s = new Conv2dShape(3, 3, 13, 11, 5, 3, 2, 1);
        var d = ConvTestCases.ConvData.Random(s, 6);
        Give(new ConvPassTunable(s, scatter: false), new ConvPassChoice(ConvVariant.Naive, new ConvTiling(64, 1, 1)));
        Give(new ConvPassTunable(s, scatter: true), new ConvPassChoice(ConvVariant.RegisterBlocked, new ConvTiling(32, 2, 6))); // a multiple of the stride
        Give(new ConvWeightTunable(s, maxSplits: 1), new ConvWeightChoice(ConvVariant.Naive, new ConvWeightTiling(64, 1, 1, 1, 1)));
        using var t = new ConvPassTensors(Gpu, s, d, workspaceLength: 0);
        SequenceRecorder? recorded = null;
        Gpu.Run(r =>
        {
            ConvKernels.Forward(r, s, t.X, t.W, t.B, t.Y);
            ConvKernels.BackwardInput(r, s, t.Dy, t.W, t.Dx);
            ConvKernels.BackwardWeight(r, s, t.X, t.Dy, t.Dw);
            recorded = r;
        });
        Assert.That(Dispatches(recorded!).Select(c => c.Kernel.Name),
            Is.EqualTo(new[] { "conv/conv_naive", "conv/conv_register_blocked", "conv/conv_weight_gradient_naive" }));
        ConvTestCases.AssertConvClose(t.Y.ToArray(), ConvTestCases.ReferenceForward(s, d), ConvTestCases.ForwardTerms(s), "y");
        ConvTestCases.AssertConvClose(t.Dx.ToArray(), ConvTestCases.ReferenceBackwardInput(s, d), ConvTestCases.ForwardTerms(s), "dx");
        ConvTestCases.AssertConvClose(t.Dw.ToArray(), ConvTestCases.ReferenceBackwardWeight(s, d), ConvTestCases.WeightTerms(s), "dw");
    }

    [Test]
    public void AnExplicitVariantBypassesTheChoices()
    {
        var s = new Conv2dShape(2, 3, 9, 9, 4, 3, 1, 1);
        Give(new ConvPassTunable(s, scatter: false), new ConvPassChoice(ConvVariant.Naive, new ConvTiling(64, 1, 1)));
        var d = ConvTestCases.ConvData.Random(s, 7);
        using var t = new ConvPassTensors(Gpu, s, d, workspaceLength: 0);
        SequenceRecorder? recorded = null;
        Gpu.Run(r =>
        {
            ConvKernels.Forward(r, s, t.X, t.W, t.B, t.Y, ConvVariant.RegisterBlocked);
            recorded = r;
        });
        Assert.That(Dispatches(recorded!).Single().Kernel.Name, Is.EqualTo("conv/conv_register_blocked"));
    }
}
