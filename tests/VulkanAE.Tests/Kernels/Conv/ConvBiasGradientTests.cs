using VulkanAE.Kernels.Activation;
using VulkanAE.Kernels.Conv;
using static VulkanAE.Tests.Kernels.Conv.ConvTestCases;

namespace VulkanAE.Tests.Kernels.Conv;

/// <summary>
/// conv/conv_bias_activation_gradient.comp: the backward of an activation after a convolution,
/// fused with its bias gradient (dz = dy * f'(y), dbias = sums of dz per channel), against the CPU
/// reference on every test shape, and against finite differences of the GPU forward pass with the
/// activation applied.
/// </summary>
public class ConvBiasGradientTests : GpuTest
{
    private static readonly ActivationKind[] Kinds = [ActivationKind.Relu, ActivationKind.Sigmoid, ActivationKind.Tanh];

    private static IEnumerable<TestCaseData> ShapeAndKindCases()
        => Shapes.SelectMany((s, i) => Kinds.Select(k => new TestCaseData(i, k).SetArgDisplayNames(Name(s), k.ToString())));

    [TestCaseSource(nameof(ShapeAndKindCases))]
    public void ThroughActivationMatchesReference(int shape, ActivationKind kind)
    {
        var s = Shapes[shape];
        var d = ConvData.Random(s, shape);
        var output = ActivationReference.Forward(kind, ReferenceForward(s, d));
        using var y = Gpu.CreateTensor("y", output);
        using var dy = Gpu.CreateTensor("dy", d.OutputGrad);
        using var dz = Gpu.CreateTensor("dz", s.OutputLength);
        using var db = Gpu.CreateTensor("db", s.OutChannels);
        Gpu.Run(r => ConvKernels.BackwardBiasThroughActivation(r, s, kind, y, dy, dz, db));
        var (expectedDz, expectedDb) = ConvReference.BackwardBiasThroughActivation(s, kind, output, d.OutputGrad);
        AssertClose(dz.ToArray(), expectedDz, what: "dz");
        AssertConvClose(db.ToArray(), expectedDb, s.Batch * s.OutHeight * s.OutWidth, "db");
    }

    // Smooth activations: a bias probe moves every pixel of its channel, and some would cross ReLU's kink.
    [TestCase(0, ActivationKind.Sigmoid)]
    [TestCase(1, ActivationKind.Tanh)]
    [TestCase(12, ActivationKind.Tanh)]
    [TestCase(14, ActivationKind.Sigmoid)]
    public void ThroughActivationIsTheDerivativeOfForward(int shape, ActivationKind kind)
    {
        var s = Shapes[shape];
        var d = ConvData.Random(s, 200 + shape);
        using var t = new ConvPassTensors(Gpu, s, d, workspaceLength: 0);
        using var dz = Gpu.CreateTensor("dz", s.OutputLength);
        Gpu.Run(r => ConvKernels.Forward(r, s, t.X, t.W, t.B, t.Y, activation: kind));
        Gpu.Run(r => ConvKernels.BackwardBiasThroughActivation(r, s, kind, t.Y, t.Dy, dz, t.Db));
        var db = t.Db.ToArray();

        double Loss(float[] bias)
        {
            t.B.Upload<float>(bias);
            Gpu.Run(r => ConvKernels.Forward(r, s, t.X, t.W, t.B, t.Y, activation: kind));
            return FiniteDifference.WeightedSum(t.Y.ToArray(), d.OutputGrad);
        }

        FiniteDifference.Check(Loss, d.Bias, db, $"{kind} db");
    }
}
