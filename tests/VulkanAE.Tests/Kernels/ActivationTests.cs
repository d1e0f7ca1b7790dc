using VulkanAE.Core;
using VulkanAE.Kernels.Activation;

namespace VulkanAE.Tests.Kernels;

public class ActivationTests : GpuTest
{
    private static readonly ActivationKind[] Kinds = Enum.GetValues<ActivationKind>();

    private float[] RunForward(ActivationKind kind, float[] input)
    {
        using var x = Gpu.CreateTensor("x", input);
        using var y = Gpu.CreateTensor("y", input.Length);
        Gpu.Run(r => ActivationKernels.Forward(r, kind, x, y, input.Length));
        return y.ToArray();
    }

    // Counts that are not multiples of the workgroup; the even ones take the vec4 path, the odd ones not.
    [Test]
    public void ForwardMatchesReference([ValueSource(nameof(Kinds))] ActivationKind kind, [Values(1001, 1000)] int count)
    {
        var input = RandomArray(new Random(1), count, -6f, 6f);
        AssertClose(RunForward(kind, input), ActivationReference.Forward(kind, input), rtol: 1e-5f, atol: 1e-6f, what: kind.ToString());
    }

    [Test]
    public void NaNPassesThrough([ValueSource(nameof(Kinds))] ActivationKind kind, [Values(5, 8)] int count)
    {
        var input = Enumerable.Repeat(float.NaN, count).ToArray();
        Assert.That(RunForward(kind, input), Is.All.NaN, "a NaN input must stay NaN so a diverging run shows in its loss");
    }

    [Test]
    public void BackwardMatchesReference([ValueSource(nameof(Kinds))] ActivationKind kind, [Values(777, 776)] int count)
    {
        var random = new Random(2);
        var output = ActivationReference.Forward(kind, RandomArray(random, count, -4f, 4f));
        var upstream = RandomArray(random, output.Length);
        using var y = Gpu.CreateTensor("y", output);
        using var dy = Gpu.CreateTensor("dy", upstream);
        using var dx = Gpu.CreateTensor("dx", output.Length);
        Gpu.Run(r => ActivationKernels.Backward(r, kind, y, dy, dx, output.Length));
        AssertClose(dx.ToArray(), ActivationReference.Backward(kind, output, upstream), what: kind.ToString());
    }

    [Test]
    public void BackwardIsTheDerivativeOfForward([ValueSource(nameof(Kinds))] ActivationKind kind, [Values(37, 36)] int count)
    {
        var random = new Random(3);
        // Keep ReLU inputs away from its kink at 0, where finite differences are meaningless.
        var input = RandomArray(random, count, -3f, 3f).Select(v => MathF.Abs(v) < 0.05f ? v + 0.1f : v).ToArray();
        var weights = RandomArray(random, input.Length);
        var output = RunForward(kind, input);
        using var y = Gpu.CreateTensor("y", output);
        using var dy = Gpu.CreateTensor("dy", weights);
        using var dx = Gpu.CreateTensor("dx", input.Length);
        Gpu.Run(r => ActivationKernels.Backward(r, kind, y, dy, dx, input.Length));
        FiniteDifference.Check(probe => FiniteDifference.WeightedSum(RunForward(kind, probe), weights), input, dx.ToArray(), kind.ToString(), eps: 1e-2f);
    }
}
