using VulkanAE.Kernels.Anomaly;
using VulkanAE.Kernels.Reduce;

namespace VulkanAE.Tests.Kernels.Anomaly;

public class TopMeanTests : GpuTest
{
    /// <summary>[rows, length, count]: odd lengths, the maximum, the whole row, a row shorter than the workgroup, a 64x64 map's worst 1%.</summary>
    private static readonly object[] Shapes =
        [new[] { 3, 37, 5 }, new[] { 4, 101, 1 }, new[] { 2, 53, 53 }, new[] { 1, 1, 1 }, new[] { 5, 7, 3 }, new[] { 6, 4096, 41 }];

    private float[] TopMean(float[] values, int rows, int length, int count)
    {
        using var input = Gpu.CreateTensor("values", values);
        using var means = Gpu.CreateTensor("means", Enumerable.Repeat(float.NaN, rows).ToArray()); // every row must be written
        Gpu.Run(r => TopMeanKernels.TopMean(r, input, means, rows, length, count));
        return means.ToArray();
    }

    [TestCaseSource(nameof(Shapes))]
    public void MatchesTheReferenceOnRandomRows(int rows, int length, int count)
    {
        // Both signs: the order of the float bits must hold for negative values too.
        var values = RandomArray(new Random(rows * 10000 + length * 10 + count), rows * length, -2f, 3f);
        var expected = TopMeanReference.TopMean(values, rows, length, count, ReductionKernels.WorkgroupSize(Gpu));
        AssertClose(TopMean(values, rows, length, count), expected, rtol: 1e-6f, atol: 1e-6f, what: $"top {count} of [{rows}, {length}]");
    }

    [Test]
    public void TiesAtTheCutAreCountedOnlyAsOftenAsNeeded()
    {
        // Row 0: the three largest are 5, 2, 2 (of four 2s): mean 3. Row 1: all equal. Row 2: the largest is 0 among negatives.
        float[] values = [2, 1, 2, 5, 2, 0, 2, /**/ 4, 4, 4, 4, 4, 4, 4, /**/ -3, -1, 0, -7, -2, -1, -5];
        Assert.That(TopMean(values, 3, 7, 3), Is.EqualTo(new[] { 3f, 4f, -2f / 3 }).Within(1e-6f));
        Assert.That(TopMean(values, 3, 7, 1), Is.EqualTo(new[] { 5f, 4f, 0f }));
    }

    [Test]
    public void TheWholeRowGivesItsMean()
    {
        var values = RandomArray(new Random(11), 3 * 999, 0f, 1f);
        var means = TopMean(values, 3, 999, 999);
        for (int row = 0; row < 3; row++)
            Assert.That(means[row], Is.EqualTo(values.Skip(row * 999).Take(999).Average(v => (double)v)).Within(1e-5), $"row {row}");
    }

    [Test]
    public void RefusesACountLongerThanTheRow()
    {
        using var values = Gpu.CreateTensor("values", 10);
        using var means = Gpu.CreateTensor("means", 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => Gpu.Run(r => TopMeanKernels.TopMean(r, values, means, 2, 5, 6)));
    }
}
