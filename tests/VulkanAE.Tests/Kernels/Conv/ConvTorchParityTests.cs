using VulkanAE.Kernels.Conv;
using static VulkanAE.Tests.Kernels.Conv.ConvTestCases;

namespace VulkanAE.Tests.Kernels.Conv;

/// <summary>One layer's data from PyTorch (ConvTorchFixture.g.cs, made by generate_conv_torch_fixture.py).</summary>
internal sealed record ConvTorchCase(string Name, Conv2dShape Shape, float[] Input, float[] Weight, float[] Bias, float[] OutputGrad,
    float[] Output, float[] InputGrad, float[] WeightGrad, float[] BiasGrad);

/// <summary>Same layer, same data as torch.nn.Conv2d / ConvTranspose2d: same output and gradients, with every variant.</summary>
public class ConvTorchParityTests : GpuTest
{
    private static IEnumerable<TestCaseData> Cases()
        => ConvTorchFixture.Cases.SelectMany((c, i) => Enum.GetValues<ConvVariant>()
            .Select(v => new TestCaseData(i, v).SetArgDisplayNames(c.Name, $"{(int)v}-{v}")));

    [TestCaseSource(nameof(Cases))]
    public void MatchesPyTorch(int index, ConvVariant variant)
    {
        var c = ConvTorchFixture.Cases[index];
        var s = c.Shape;
        using var t = new ConvPassTensors(Gpu, s, new ConvData(c.Input, c.Weight, c.Bias, c.OutputGrad),
            ConvKernels.BackwardWeightWorkspaceLength(Gpu.Info, s, variant));
        Gpu.Run(r =>
        {
            ConvKernels.Forward(r, s, t.X, t.W, t.B, t.Y, variant);
            t.RecordBackward(r, s, variant);
        });
        // Values are standard normal: sums of a few dozen products, computed in float32 here and float64 in torch.
        AssertClose(t.Y.ToArray(), c.Output, rtol: 1e-5f, atol: 1e-4f, what: $"{c.Name} y");
        AssertClose(t.Dx.ToArray(), c.InputGrad, rtol: 1e-5f, atol: 1e-4f, what: $"{c.Name} dx");
        AssertClose(t.Dw.ToArray(), c.WeightGrad, rtol: 1e-5f, atol: 1e-4f, what: $"{c.Name} dw");
        AssertClose(t.Db.ToArray(), c.BiasGrad, rtol: 1e-5f, atol: 1e-4f, what: $"{c.Name} db");
    }
}
