using VulkanAE.Kernels.Elementwise;

namespace VulkanAE.Tests.Kernels;

public class ElementwiseTests : GpuTest
{
    [TestCase(1)]
    [TestCase(257)]
    [TestCase(100003)]
    public void AddMatchesReference(int count)
    {
        var random = new Random(count);
        var a = RandomArray(random, count);
        var b = RandomArray(random, count);
        using var ta = Gpu.CreateTensor("a", a);
        using var tb = Gpu.CreateTensor("b", b);
        using var sum = Gpu.CreateTensor("sum", count);
        Gpu.Run(r => ElementwiseKernels.Add(r, ta, tb, sum, count));
        AssertClose(sum.ToArray(), ElementwiseReference.Add(a, b), rtol: 0, atol: 0, what: "a + b");
    }

    [TestCase(1, 1)]
    [TestCase(35, 7)]
    [TestCase(1000, 3)]
    [TestCase(7841, 784)]
    public void RepeatMatchesReference(int count, int period)
    {
        var random = new Random(count + period);
        var source = RandomArray(random, period + 5);
        using var ts = Gpu.CreateTensor("source", source);
        using var tiled = Gpu.CreateTensor("tiled", RandomArray(random, count + 3));
        var beyond = tiled.ToArray()[count..];
        Gpu.Run(r => ElementwiseKernels.Repeat(r, ts, tiled, count, period));
        var actual = tiled.ToArray();
        AssertClose(actual[..count], ElementwiseReference.Repeat(source, count, period), rtol: 0, atol: 0, what: $"source[i % {period}]");
        Assert.That(actual[count..], Is.EqualTo(beyond), "nothing written past count");
    }

    [Test]
    public void AddGradientIsOneForBothOperands()
    {
        // d/da sum(w * (a + b)) = w: the finite difference through the GPU forward pass must agree.
        var random = new Random(9);
        var a = RandomArray(random, 11);
        var b = RandomArray(random, 11);
        var w = RandomArray(random, 11);
        using var tb = Gpu.CreateTensor("b", b);
        double Loss(float[] probe)
        {
            using var ta = Gpu.CreateTensor("a", probe);
            using var sum = Gpu.CreateTensor("sum", probe.Length);
            Gpu.Run(r => ElementwiseKernels.Add(r, ta, tb, sum, probe.Length));
            return FiniteDifference.WeightedSum(sum.ToArray(), w);
        }
        FiniteDifference.Check(Loss, a, w, "d(a+b)/da");
    }
}
