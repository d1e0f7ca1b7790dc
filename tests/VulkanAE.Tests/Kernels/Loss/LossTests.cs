using VulkanAE.Core;
using VulkanAE.Kernels.Activation;
using VulkanAE.Kernels.Loss;
using VulkanAE.Kernels.Reduce;

namespace VulkanAE.Tests.Kernels.Loss;

public class LossTests : GpuTest
{
    private static readonly object[] Shapes = [new[] { 1, 1 }, new[] { 3, 7 }, new[] { 13, 784 }, new[] { 257, 33 }];

    /// <summary>Runs one loss kernel; returns its gradient and per-row loss sums.</summary>
    private (float[] Grad, float[] RowLoss) Run(LossKind kind, float[] input, float[] target, int rows, int cols, float gradScale,
        ActivationKind outputActivation = ActivationKind.Identity, RowReduction? rowReduction = null)
    {
        using var x = Gpu.CreateTensor("input", input);
        using var t = Gpu.CreateTensor("target", target);
        using var grad = Gpu.CreateTensor("grad", input.Length);
        using var rowLoss = Gpu.CreateTensor("rowLoss", rows);
        Gpu.Run(r =>
        {
            if (kind == LossKind.BinaryCrossEntropyWithLogits)
                LossKernels.BinaryCrossEntropyWithLogits(r, x, t, grad, rowLoss, rows, cols, gradScale, rowReduction);
            else
                LossKernels.MeanSquaredError(r, x, t, grad, rowLoss, rows, cols, gradScale, outputActivation, rowReduction);
        });
        return (grad.ToArray(), rowLoss.ToArray());
    }

    /// <summary>Logits in [-8, 8] with every fifth one saturated at +-30; targets in [0, 1], a third of them exactly 0 or 1.</summary>
    private static (float[] Logits, float[] Targets) BceInputs(Random random, int length)
    {
        var logits = RandomArray(random, length, -8f, 8f);
        var targets = RandomArray(random, length, 0f, 1f);
        for (int i = 0; i < length; i++)
        {
            if (i % 5 == 2) logits[i] = i % 2 == 0 ? 30f : -30f;
            if (i % 3 == 1) targets[i] = MathF.Round(targets[i]);
        }
        return (logits, targets);
    }

    private void AssertMatchesReference(LossKind kind, float[] input, float[] target, int rows, int cols, float gradScale,
        ActivationKind outputActivation = ActivationKind.Identity)
    {
        var (expectedGrad, expectedRowLoss) = LossReference.Compute(kind, input, target, rows, cols, gradScale, outputActivation);
        foreach (var reduction in Enum.GetValues<RowReduction>())
        {
            var (grad, rowLoss) = Run(kind, input, target, rows, cols, gradScale, outputActivation, reduction);
            string what = $"{kind} through {outputActivation} [{rows}, {cols}], one {reduction} per row";
            AssertClose(grad, expectedGrad, rtol: 1e-5f, atol: 1e-6f * gradScale, what: $"{what} grad");
            AssertClose(rowLoss, expectedRowLoss, rtol: 2e-5f, atol: 1e-5f, what: $"{what} rowLoss");
        }
    }

    [TestCaseSource(nameof(Shapes))]
    public void BinaryCrossEntropyWithLogitsMatchesReference(int rows, int cols)
    {
        var (logits, targets) = BceInputs(new Random(rows * 1000 + cols), rows * cols);
        AssertMatchesReference(LossKind.BinaryCrossEntropyWithLogits, logits, targets, rows, cols, 1f / (rows * cols));
    }

    [TestCaseSource(nameof(Shapes))]
    public void MeanSquaredErrorMatchesReference(int rows, int cols)
    {
        var random = new Random(rows * 1000 + cols + 1);
        var prediction = RandomArray(random, rows * cols, -2f, 2f);
        var target = RandomArray(random, rows * cols, 0f, 1f);
        AssertMatchesReference(LossKind.SquaredError, prediction, target, rows, cols, 1f / rows);
    }

    [Test]
    public void SquaredErrorThroughTheOutputActivationMatchesReference(
        [Values(ActivationKind.Relu, ActivationKind.Sigmoid, ActivationKind.Tanh)] ActivationKind outputActivation, [Values(0, 1, 2, 3)] int shape)
    {
        var dims = (int[])Shapes[shape];
        int rows = dims[0], cols = dims[1];
        var random = new Random(rows * 1000 + cols + 2);
        var input = RandomArray(random, rows * cols, -3f, 3f);
        var target = RandomArray(random, rows * cols, 0f, 1f);
        AssertMatchesReference(LossKind.SquaredError, input, target, rows, cols, 1f / rows, outputActivation);
    }

    [Test]
    public void SaturatedLogitsGiveExactLimits()
    {
        // z = +-30 against t in {0, 1}: the loss is 30 when wrong and e^-30 (not 0, not NaN) when right.
        // Vulkan allows exp(-30) an error of 3 + 2 * 30 ulp, hence the tolerance.
        var (grad, rowLoss) = Run(LossKind.BinaryCrossEntropyWithLogits, [30f, -30f, 30f, -30f], [1f, 0f, 0f, 1f], 4, 1, 1f);
        float tiny = MathF.Exp(-30f);
        AssertClose(rowLoss, [tiny, tiny, 30f, 30f], rtol: 1e-5f, atol: 0f, what: "rowLoss");
        AssertClose(grad, [-tiny, tiny, 1f, -1f], rtol: 1e-5f, atol: 0f, what: "grad");
    }

    [Test]
    public void ReferenceBceWithLogitsIsBceOfTheSigmoid()
    {
        foreach (var (z, t) in new[] { (-4.0, 0.0), (-0.5, 0.3), (0.0, 1.0), (2.5, 0.9), (7.0, 0.0) })
        {
            double p = 1 / (1 + Math.Exp(-z));
            double bce = -(t * Math.Log(p) + (1 - t) * Math.Log(1 - p));
            Assert.That(LossReference.BinaryCrossEntropyWithLogits(z, t), Is.EqualTo(bce).Within(1e-12), $"z={z}, t={t}");
        }
    }

    /// <summary>The squared error's gradient goes through the output activation fused into it; binary cross-entropy reads logits.</summary>
    [TestCase(LossKind.BinaryCrossEntropyWithLogits, ActivationKind.Identity)]
    [TestCase(LossKind.SquaredError, ActivationKind.Identity)]
    [TestCase(LossKind.SquaredError, ActivationKind.Sigmoid)]
    [TestCase(LossKind.SquaredError, ActivationKind.Tanh)]
    public void GradientIsTheDerivativeOfTheScaledLoss(LossKind kind, ActivationKind outputActivation)
    {
        const int rows = 3, cols = 7;
        const float gradScale = 1f / rows;
        var random = new Random(11);
        var input = RandomArray(random, rows * cols, -3f, 3f);
        var target = RandomArray(random, rows * cols, 0f, 1f);
        var (grad, _) = Run(kind, input, target, rows, cols, gradScale, outputActivation);
        FiniteDifference.Check(probe => gradScale * Run(kind, probe, target, rows, cols, gradScale, outputActivation).RowLoss.Sum(v => (double)v),
            input, grad, $"{kind} through {outputActivation}", eps: 1e-2f);
    }

    [Test]
    public void RowLossIsBitIdenticalFromRunToRun()
    {
        var (logits, targets) = BceInputs(new Random(12), 13 * 784);
        var first = Run(LossKind.BinaryCrossEntropyWithLogits, logits, targets, 13, 784, 1f);
        var second = Run(LossKind.BinaryCrossEntropyWithLogits, logits, targets, 13, 784, 1f);
        Assert.That(second.RowLoss, Is.EqualTo(first.RowLoss).AsCollection);
        Assert.That(second.Grad, Is.EqualTo(first.Grad).AsCollection);
    }
}
