using VulkanAE.Core;
using VulkanAE.Kernels.Conv;
using static VulkanAE.Tests.Kernels.Conv.ConvTestCases;

namespace VulkanAE.Tests.Kernels.Conv;

/// <summary>
/// The backward passes (default variant) are the derivatives of the forward pass: finite
/// differences of L = sum(G * y) with respect to input, weight and bias.
/// </summary>
public class ConvGradientTests : GpuTest
{
    private static readonly Conv2dShape[] GradientShapes =
    [
        new(2, 3, 7, 7, 4, 3, 1, 1),
        new(2, 3, 13, 11, 4, 3, 2, 1),
        new(2, 3, 13, 11, 4, 4, 2, 1),
        new(2, 3, 7, 7, 4, 3, 2, 1, 1, true),
        new(2, 3, 6, 5, 4, 4, 2, 1, 0, true),
    ];

    private static IEnumerable<TestCaseData> Cases() => GradientShapes.Select((s, i) => new TestCaseData(i).SetArgDisplayNames(Name(s)));

    [TestCaseSource(nameof(Cases))]
    public void GradientsMatchFiniteDifferences(int shape)
    {
        var s = GradientShapes[shape];
        var d = ConvData.Random(s, 100 + shape);
        using var x = Gpu.CreateTensor("x", d.Input);
        using var w = Gpu.CreateTensor("w", d.Weight);
        using var b = Gpu.CreateTensor("b", d.Bias);
        using var y = Gpu.CreateTensor("y", s.OutputLength);
        using var g = Gpu.CreateTensor("G", d.OutputGrad);
        using var dx = Gpu.CreateTensor("dx", s.InputLength);
        using var dw = Gpu.CreateTensor("dw", s.WeightLength);
        using var db = Gpu.CreateTensor("db", s.OutChannels);
        using var workspace = Gpu.CreateTensor("workspace", Math.Max(1, ConvLayer.BackwardWeightWorkspaceLength(Gpu.Info, s)));
        Gpu.Run(r =>
        {
            ConvLayer.BackwardInput(r, s, g, w, dx);
            ConvLayer.BackwardWeight(r, s, x, g, dw, workspace);
            ConvLayer.BackwardBias(r, s, g, db);
        });

        double Loss(float[] input, float[] weight, float[] bias)
        {
            x.Upload<float>(input);
            w.Upload<float>(weight);
            b.Upload<float>(bias);
            Gpu.Run(r => ConvLayer.Forward(r, s, x, w, b, y));
            return FiniteDifference.WeightedSum(y.ToArray(), d.OutputGrad);
        }

        FiniteDifference.Check(p => Loss(p, d.Weight, d.Bias), d.Input, dx.ToArray(), "dx");
        FiniteDifference.Check(p => Loss(d.Input, p, d.Bias), d.Weight, dw.ToArray(), "dw");
        FiniteDifference.Check(p => Loss(d.Input, d.Weight, p), d.Bias, db.ToArray(), "db");
    }
}
