using VulkanAE.Core;
using VulkanAE.Kernels.Reduce;

namespace VulkanAE.Tests.Kernels.Reduce;

public class ReductionTests : GpuTest
{
    private uint WorkgroupSize => ReductionKernels.WorkgroupSize(Gpu);

    private float AccumulateOnce(float[] values, float initial)
    {
        using var v = Gpu.CreateTensor("values", values);
        using var total = Gpu.CreateTensor("total", [initial]);
        Gpu.Run(r => ReductionKernels.AccumulateSum(r, v, values.Length, total));
        return total.ToArray()[0];
    }

    [TestCase(1)]
    [TestCase(255)]
    [TestCase(256)]
    [TestCase(257)]
    [TestCase(100003)]
    [TestCase(1000003)]
    public void AccumulateSumMatchesReferenceBitForBit(int count)
    {
        var values = RandomArray(new Random(count), count, -1f, 2f);
        float actual = AccumulateOnce(values, initial: 0.75f);
        // The reference adds the same floats in the same order; float addition is correctly
        // rounded in Vulkan, so the bits must agree.
        float expected = ReductionReference.AccumulateSum(0.75f, values, WorkgroupSize);
        Assert.That(BitConverter.SingleToInt32Bits(actual), Is.EqualTo(BitConverter.SingleToInt32Bits(expected)),
            $"got {actual:R}, reference {expected:R}");
        double exact = 0.75 + values.Sum(v => (double)v);
        Assert.That(actual, Is.EqualTo(exact).Within(1e-6 * values.Sum(v => Math.Abs((double)v)) + 1e-7), "vs the sum in double");
    }

    [Test]
    public void AccumulateSumIsBitIdenticalFromRunToRun()
    {
        var values = RandomArray(new Random(5), 100003, -1f, 1f);
        float first = AccumulateOnce(values, 0f);
        float second = AccumulateOnce(values, 0f);
        Assert.That(BitConverter.SingleToInt32Bits(second), Is.EqualTo(BitConverter.SingleToInt32Bits(first)));
    }

    [Test]
    public void AccumulatesAcrossDispatchesAndReplays()
    {
        var random = new Random(6);
        var a = RandomArray(random, 1001, 0f, 3f);
        var b = RandomArray(random, 77, 0f, 3f);
        using var ta = Gpu.CreateTensor("a", a);
        using var tb = Gpu.CreateTensor("b", b);
        using var total = Gpu.CreateTensor("total", [2f]);
        using var sequence = Sequence.Record(Gpu, "accumulate", r =>
        {
            ReductionKernels.AccumulateSum(r, ta, a.Length, total);
            ReductionKernels.AccumulateSum(r, tb, b.Length, total);
        });
        sequence.Submit(repeat: 2).Wait();
        float expected = 2f;
        for (int replay = 0; replay < 2; replay++)
        {
            expected = ReductionReference.AccumulateSum(expected, a, WorkgroupSize);
            expected = ReductionReference.AccumulateSum(expected, b, WorkgroupSize);
        }
        Assert.That(total.ToArray()[0], Is.EqualTo(expected));
        Assert.That(expected, Is.EqualTo(2 + 2 * (a.Sum(v => (double)v) + b.Sum(v => (double)v))).Within(1e-3));
    }

    [Test]
    public void SumsOnlyTheFirstCountValues()
    {
        using var v = Gpu.CreateTensor("values", [1f, 2f, 4f, 1000f]);
        using var total = Gpu.CreateTensor("total", [0f]);
        Gpu.Run(r => ReductionKernels.AccumulateSum(r, v, 3, total));
        Assert.That(total.ToArray()[0], Is.EqualTo(7f));
    }
}
