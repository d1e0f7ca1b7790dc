using VulkanAE.Kernels.Concat;
using VulkanAE.Kernels.Data;
using VulkanAE.Kernels.Training;

namespace VulkanAE.Tests.Kernels.Concat;

/// <summary>The one-hot label join of a conditional VAE, its backward split, and the labels' gather, against the CPU references.</summary>
public class ConcatTests : GpuTest
{
    [TestCase(1, 1, 2)]
    [TestCase(7, 13, 3)]
    [TestCase(33, 785, 10)]
    [TestCase(130, 20, 10)]
    public void ConcatOneHotMatchesReference(int rows, int features, int classes)
    {
        var random = new Random(rows * 31 + features);
        var x = RandomArray(random, rows * features);
        var labels = Enumerable.Range(0, rows).Select(_ => random.Next(classes)).ToArray();
        using var tx = Gpu.CreateTensor("x", x);
        using var tl = Gpu.CreateTensor("labels", labels.Select(l => (float)l).ToArray());
        int width = features + classes;
        using var joined = Gpu.CreateTensor("joined", RandomArray(random, rows * width + 5));
        var beyond = joined.ToArray()[(rows * width)..];
        Gpu.Run(r => ConcatKernels.ConcatOneHot(r, tx, tl, joined, rows, features, classes));
        var actual = joined.ToArray();
        AssertClose(actual[..(rows * width)], ConcatReference.ConcatOneHot(x, labels, rows, features, classes), rtol: 0, atol: 0, what: "[x | one_hot]");
        Assert.That(actual[(rows * width)..], Is.EqualTo(beyond), "nothing written past the rows");
    }

    [TestCase(1, 1, 2)]
    [TestCase(7, 13, 3)]
    [TestCase(33, 785, 10)]
    public void SplitLeadingColumnsMatchesReference(int rows, int features, int classes)
    {
        var random = new Random(rows * 17 + classes);
        var gradient = RandomArray(random, rows * (features + classes));
        using var tg = Gpu.CreateTensor("joined_grad", gradient);
        using var dx = Gpu.CreateTensor("dx", rows * features);
        Gpu.Run(r => ConcatKernels.SplitLeadingColumns(r, tg, dx, rows, features, classes));
        AssertClose(dx.ToArray(), ConcatReference.SplitLeadingColumns(gradient, rows, features, classes), rtol: 0, atol: 0, what: "dx");
    }

    /// <summary>d/dx sum(w * [x | one_hot]) by finite differences through the GPU forward pass equals the split of w.</summary>
    [Test]
    public void SplitIsTheGradientOfTheJoinWithRespectToX()
    {
        const int rows = 5, features = 7, classes = 3;
        var random = new Random(3);
        var x = RandomArray(random, rows * features);
        var w = RandomArray(random, rows * (features + classes));
        using var labels = Gpu.CreateTensor("labels", new float[] { 2, 0, 1, 1, 2 });
        using var tw = Gpu.CreateTensor("w", w);
        using var analytic = Gpu.CreateTensor("dx", rows * features);
        Gpu.Run(r => ConcatKernels.SplitLeadingColumns(r, tw, analytic, rows, features, classes));
        double Loss(float[] probe)
        {
            using var tx = Gpu.CreateTensor("x", probe);
            using var joined = Gpu.CreateTensor("joined", rows * (features + classes));
            Gpu.Run(r => ConcatKernels.ConcatOneHot(r, tx, labels, joined, rows, features, classes));
            return FiniteDifference.WeightedSum(joined.ToArray(), w);
        }
        FiniteDifference.Check(Loss, x, analytic.ToArray(), "d [x | one_hot] / dx", samples: rows * features);
    }

    /// <summary>The labels of a batch come by the same shuffled indices as its images, batch after batch.</summary>
    [TestCase(11, 3)]
    [TestCase(37, 13)]
    public void GatherLabelsFollowsTheBatchIndices(int count, int batchSize)
    {
        var random = new Random(count);
        var classes = Enumerable.Range(0, count).Select(_ => random.Next(10)).ToArray();
        var order = Enumerable.Range(0, count).Select(i => (uint)i).OrderBy(_ => random.Next()).ToArray();
        using var bytes = Gpu.CreateTensor("label_bytes", (count + 3) / 4);
        bytes.Upload<uint>(BatchGather.PackBytes(classes.Select(c => (byte)c).ToArray()));
        using var indices = Gpu.CreateTensor("indices", count);
        indices.Upload<uint>(order);
        using var state = new TrainingState(Gpu);
        using var labels = Gpu.CreateTensor("labels", batchSize);
        Gpu.Run(r => r.Fill(state.Tensor));
        for (int b = 0; b < count / batchSize; b++)
        {
            Gpu.Run(r =>
            {
                BatchGather.GatherLabels(r, bytes, indices, state.Tensor, labels, batchSize, batchSize);
                state.RecordAdvance(r, optimizerStep: false);
            });
            var expected = Enumerable.Range(0, batchSize).Select(i => (float)classes[order[b * batchSize + i]]).ToArray();
            Assert.That(labels.ToArray(), Is.EqualTo(expected), $"batch {b}");
        }
    }
}
