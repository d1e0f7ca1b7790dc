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
        using var t = new ConvPassTensors(Gpu, s, d, ConvKernels.BackwardWeightWorkspaceLength(Gpu.Info, s));
        Gpu.Run(r => t.RecordBackward(r, s));

        double Loss(float[] input, float[] weight, float[] bias)
        {
            t.X.Upload<float>(input);
            t.W.Upload<float>(weight);
            t.B.Upload<float>(bias);
            Gpu.Run(r => ConvKernels.Forward(r, s, t.X, t.W, t.B, t.Y));
            return FiniteDifference.WeightedSum(t.Y.ToArray(), d.OutputGrad);
        }

        // The gradients first: Loss overwrites the inputs it probes.
        var (dx, dw, db) = (t.Dx.ToArray(), t.Dw.ToArray(), t.Db.ToArray());
        FiniteDifference.Check(p => Loss(p, d.Weight, d.Bias), d.Input, dx, "dx");
        FiniteDifference.Check(p => Loss(d.Input, p, d.Bias), d.Weight, dw, "dw");
        FiniteDifference.Check(p => Loss(d.Input, d.Weight, p), d.Bias, db, "db");
    }
}
