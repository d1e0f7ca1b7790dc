using VulkanAE.Core;
using VulkanAE.Kernels.Activation;
using VulkanAE.Kernels.Conv;
using static VulkanAE.Tests.Kernels.Conv.ConvTestCases;

namespace VulkanAE.Tests.Kernels.Conv;

/// <summary>Every op of Conv2d and ConvTranspose2d, every variant, against the CPU reference.</summary>
public class ConvTests : GpuTest
{
    private static readonly ConvVariant[] Variants = Enum.GetValues<ConvVariant>();

    private static IEnumerable<TestCaseData> ShapeAndVariantCases()
        => Shapes.SelectMany((s, i) => Variants.Select(v => new TestCaseData(i, v).SetArgDisplayNames(Name(s), $"{(int)v}-{v}")));

    /// <summary>Every pass's tensors for shape <paramref name="shape"/> and its random data.</summary>
    private ConvPassTensors Case(int shape, ConvVariant? variant = null)
        => new(Gpu, Shapes[shape], ConvData.Random(Shapes[shape], shape), ConvKernels.BackwardWeightWorkspaceLength(Gpu.Info, Shapes[shape], variant));

    [TestCaseSource(nameof(ShapeAndVariantCases))]
    public void ForwardMatchesReference(int shape, ConvVariant variant)
    {
        using var t = Case(shape, variant);
        var (s, d) = (t.Shape, t.Data);
        Gpu.Run(r => ConvKernels.Forward(r, s, t.X, t.W, t.B, t.Y, variant));
        AssertConvClose(t.Y.ToArray(), ReferenceForward(s, d), ForwardTerms(s), "y");
    }

    [TestCaseSource(nameof(ShapeAndVariantCases))]
    public void ForwardWithReluMatchesReference(int shape, ConvVariant variant)
    {
        using var t = Case(shape, variant);
        var (s, d) = (t.Shape, t.Data);
        Gpu.Run(r => ConvKernels.Forward(r, s, t.X, t.W, t.B, t.Y, variant, ActivationKind.Relu));
        var expected = ActivationReference.Forward(ActivationKind.Relu, ReferenceForward(s, d));
        Assert.That(expected.Count(v => v == 0), Is.GreaterThan(expected.Length / 8), "the case exercises the ReLU");
        AssertConvClose(t.Y.ToArray(), expected, ForwardTerms(s), "relu(y)");
    }

    [TestCaseSource(nameof(ShapeAndVariantCases))]
    public void BackwardInputMatchesReference(int shape, ConvVariant variant)
    {
        using var t = Case(shape, variant);
        var (s, d) = (t.Shape, t.Data);
        Gpu.Run(r => ConvKernels.BackwardInput(r, s, t.Dy, t.W, t.Dx, variant));
        AssertConvClose(t.Dx.ToArray(), ReferenceBackwardInput(s, d), ForwardTerms(s), "dx");
    }

    [TestCaseSource(nameof(ShapeAndVariantCases))]
    public void BackwardWeightMatchesReference(int shape, ConvVariant variant)
    {
        using var t = Case(shape, variant);
        var (s, d) = (t.Shape, t.Data);
        var expected = ReferenceBackwardWeight(s, d);
        // Garbage in dw first: the pass overwrites, it does not accumulate.
        foreach (var (workspace, what) in new[] { (t.Workspace, "dw with workspace"), ((Tensor?)null, "dw without workspace") })
        {
            Gpu.Run(r =>
            {
                r.Fill(t.Dw, 7f);
                ConvKernels.BackwardWeight(r, s, t.X, t.Dy, t.Dw, workspace, variant);
            });
            AssertConvClose(t.Dw.ToArray(), expected, WeightTerms(s), what);
        }
    }

    [TestCaseSource(typeof(ConvTestCases), nameof(ShapeCases))]
    public void BackwardBiasMatchesReference(int shape)
    {
        using var t = Case(shape);
        var (s, d) = (t.Shape, t.Data);
        Gpu.Run(r => ConvKernels.BackwardBias(r, s, t.Dy, t.Db));
        AssertConvClose(t.Db.ToArray(), ReferenceBackwardBias(s, d), s.Batch * s.OutHeight * s.OutWidth, "db");
    }

    [TestCaseSource(typeof(ConvTestCases), nameof(ShapeCases))]
    public void RepeatedRunsAreBitIdentical(int shape)
    {
        using var t = Case(shape);
        var s = t.Shape;
        float[] WeightGradient()
        {
            Gpu.Run(r => ConvKernels.BackwardWeight(r, s, t.X, t.Dy, t.Dw, t.Workspace));
            return t.Dw.ToArray();
        }
        Assert.That(WeightGradient(), Is.EqualTo(WeightGradient()));
    }

    [Test]
    public void AnInvalidShapeNamesItsLayerAndTheFieldToFix()
    {
        using var t = Gpu.CreateTensor("t", 4096);
        string Error(Conv2dShape s) => Assert.Throws<ArgumentException>(() => Gpu.Run(r => ConvKernels.Forward(r, s, t, t, t, t)))!.Message;
        Assert.That(Error(new Conv2dShape(1, 1, 7, 7, 3, 3, 2, 1, OutputPadding: 1)), Does.StartWith("Conv2d ").And.Contain("OutputPadding must be 0 for Conv2d"));
        Assert.That(Error(new Conv2dShape(1, 1, 7, 7, 3, 3, 2, 1, OutputPadding: 2, Transposed: true)), Does.StartWith("ConvTranspose2d ").And.Contain("below Stride"));
        Assert.That(Error(new Conv2dShape(1, 1, 2, 2, 3, 5, 1, 0)), Does.StartWith("Conv2d ").And.Contain("kernel exceeds"));
    }

    [Test]
    public void TooSmallATensorNamesIt()
    {
        var s = new Conv2dShape(2, 3, 7, 7, 4, 3, 1, 1);
        using var x = Gpu.CreateTensor("x", s.InputLength);
        using var w = Gpu.CreateTensor("weights", s.WeightLength - 1);
        using var b = Gpu.CreateTensor("b", 4);
        using var y = Gpu.CreateTensor("y", s.OutputLength);
        var error = Assert.Throws<ArgumentException>(() => Gpu.Run(r => ConvKernels.Forward(r, s, x, w, b, y)));
        Assert.That(error!.Message, Does.Contain("weights").And.Contain($"needs {s.WeightLength}"));
    }

    [Test]
    public void OutputSizesFollowPyTorch()
    {
        Assert.That(new Conv2dShape(1, 1, 28, 28, 1, 3, 2, 1).OutHeight, Is.EqualTo(14));
        Assert.That(new Conv2dShape(1, 1, 13, 11, 1, 4, 2, 1).OutWidth, Is.EqualTo(5));
        Assert.That(new Conv2dShape(1, 1, 7, 7, 1, 3, 2, 1, 1, true).OutHeight, Is.EqualTo(14));
        Assert.That(new Conv2dShape(1, 1, 32, 32, 1, 4, 2, 1, 0, true).OutHeight, Is.EqualTo(64));
    }
}
