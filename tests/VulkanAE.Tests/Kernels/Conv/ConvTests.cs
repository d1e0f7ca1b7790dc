using VulkanAE.Core;
using VulkanAE.Kernels.Conv;
using static VulkanAE.Tests.Kernels.Conv.ConvTestCases;

namespace VulkanAE.Tests.Kernels.Conv;

/// <summary>Every op of Conv2d and ConvTranspose2d, every variant, against the CPU reference.</summary>
public class ConvTests : GpuTest
{
    private static readonly ConvVariant[] Variants = Enum.GetValues<ConvVariant>();

    private static IEnumerable<TestCaseData> ShapeAndVariantCases()
        => Shapes.SelectMany((s, i) => Variants.Select(v => new TestCaseData(i, v).SetArgDisplayNames(Name(s), $"{(int)v}-{v}")));

    private float[] Run(long outputLength, Func<Tensor, Action<SequenceRecorder>> record)
    {
        using var output = Gpu.CreateTensor("output", outputLength);
        Gpu.Run(record(output));
        return output.ToArray();
    }

    [TestCaseSource(nameof(ShapeAndVariantCases))]
    public void ForwardMatchesReference(int shape, ConvVariant variant)
    {
        var s = Shapes[shape];
        var d = ConvData.Random(s, shape);
        using var x = Gpu.CreateTensor("x", d.Input);
        using var w = Gpu.CreateTensor("w", d.Weight);
        using var b = Gpu.CreateTensor("b", d.Bias);
        var y = Run(s.OutputLength, t => r => ConvLayer.Forward(r, s, x, w, b, t, variant));
        AssertConvClose(y, ReferenceForward(s, d), ForwardTerms(s), "y");
    }

    [TestCaseSource(nameof(ShapeAndVariantCases))]
    public void BackwardInputMatchesReference(int shape, ConvVariant variant)
    {
        var s = Shapes[shape];
        var d = ConvData.Random(s, shape);
        using var dy = Gpu.CreateTensor("dy", d.OutputGrad);
        using var w = Gpu.CreateTensor("w", d.Weight);
        var dx = Run(s.InputLength, t => r => ConvLayer.BackwardInput(r, s, dy, w, t, variant));
        AssertConvClose(dx, ReferenceBackwardInput(s, d), ForwardTerms(s), "dx");
    }

    [TestCaseSource(nameof(ShapeAndVariantCases))]
    public void BackwardWeightMatchesReference(int shape, ConvVariant variant)
    {
        var s = Shapes[shape];
        var d = ConvData.Random(s, shape);
        using var x = Gpu.CreateTensor("x", d.Input);
        using var dy = Gpu.CreateTensor("dy", d.OutputGrad);
        long workspaceLength = ConvLayer.BackwardWeightWorkspaceLength(Gpu.Info, s, variant);
        using var workspace = workspaceLength > 0 ? Gpu.CreateTensor("workspace", workspaceLength) : null;
        var expected = ReferenceBackwardWeight(s, d);
        // Garbage in dw first: the pass overwrites, it does not accumulate.
        var dw = Run(s.WeightLength, t => r => { r.Fill(t, 7f); ConvLayer.BackwardWeight(r, s, x, dy, t, workspace, variant); });
        AssertConvClose(dw, expected, WeightTerms(s), "dw with workspace");
        var single = Run(s.WeightLength, t => r => ConvLayer.BackwardWeight(r, s, x, dy, t, null, variant));
        AssertConvClose(single, expected, WeightTerms(s), "dw without workspace");
    }

    [TestCaseSource(typeof(ConvTestCases), nameof(ShapeCases))]
    public void BackwardBiasMatchesReference(int shape)
    {
        var s = Shapes[shape];
        var d = ConvData.Random(s, shape);
        using var dy = Gpu.CreateTensor("dy", d.OutputGrad);
        var db = Run(s.OutChannels, t => r => ConvLayer.BackwardBias(r, s, dy, t));
        AssertConvClose(db, ReferenceBackwardBias(s, d), s.Batch * s.OutHeight * s.OutWidth, "db");
    }

    [TestCaseSource(typeof(ConvTestCases), nameof(ShapeCases))]
    public void RepeatedRunsAreBitIdentical(int shape)
    {
        var s = Shapes[shape];
        var d = ConvData.Random(s, shape);
        using var x = Gpu.CreateTensor("x", d.Input);
        using var dy = Gpu.CreateTensor("dy", d.OutputGrad);
        using var workspace = Gpu.CreateTensor("workspace", Math.Max(1, ConvLayer.BackwardWeightWorkspaceLength(Gpu.Info, s)));
        var first = Run(s.WeightLength, t => r => ConvLayer.BackwardWeight(r, s, x, dy, t, workspace));
        var second = Run(s.WeightLength, t => r => ConvLayer.BackwardWeight(r, s, x, dy, t, workspace));
        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public void ShapeOfTheWrongLayerIsRejected()
    {
        var s = Shapes[0];
        using var t = Gpu.CreateTensor("t", 4096);
        var error = Assert.Throws<ArgumentException>(() => Gpu.Run(r => ConvTranspose2dKernels.Forward(r, s, t, t, t, t)));
        Assert.That(error!.Message, Does.Contain("Conv2dKernels"));
    }

    [Test]
    public void TooSmallATensorNamesIt()
    {
        var s = new Conv2dShape(2, 3, 7, 7, 4, 3, 1, 1);
        using var x = Gpu.CreateTensor("x", s.InputLength);
        using var w = Gpu.CreateTensor("weights", s.WeightLength - 1);
        using var b = Gpu.CreateTensor("b", 4);
        using var y = Gpu.CreateTensor("y", s.OutputLength);
        var error = Assert.Throws<ArgumentException>(() => Gpu.Run(r => Conv2dKernels.Forward(r, s, x, w, b, y)));
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
