using VulkanAE.Kernels.Data;
using VulkanAE.Kernels.Training;

namespace VulkanAE.Tests.Kernels;

public class BatchGatherTests : GpuTest
{
    [TestCase(5, 7, 3, PixelRange.Unit)]
    [TestCase(37, 783, 13, PixelRange.Unit)] // odd row length: samples straddle the packed uints
    [TestCase(11, 29, 4, PixelRange.Symmetric)]
    [TestCase(9, 784, 4, PixelRange.Unit)] // a multiple of 4: one packed uint per four pixels
    [TestCase(6, 12, 5, PixelRange.Symmetric)]
    public void GathersTheBatchTheStateSelects(int count, int cols, int batchSize, PixelRange range)
    {
        var random = new Random(count);
        var bytes = new byte[count * cols];
        random.NextBytes(bytes);
        var order = Enumerable.Range(0, count).Select(i => (uint)i).OrderBy(_ => random.Next()).ToArray();
        using var pixels = Gpu.CreateTensor("pixels", (bytes.Length + 3) / 4);
        pixels.Upload<uint>(BatchGather.PackBytes(bytes));
        using var indices = Gpu.CreateTensor("indices", count);
        indices.Upload<uint>(order);
        using var state = new TrainingState(Gpu);
        using var batch = Gpu.CreateTensor("batch", batchSize * cols);
        Gpu.Run(r => r.Fill(state.Tensor));

        int batches = count / batchSize;
        for (uint b = 0; b < batches; b++)
        {
            // Gather then advance, as a replayed step does: the second replay reads batch 1, and so on.
            Gpu.Run(r =>
            {
                BatchGather.Gather(r, pixels, indices, state.Tensor, batch, batchSize, cols, batchSize, range);
                state.RecordAdvance(r, optimizerStep: false);
            });
            AssertClose(batch.ToArray(), BatchGatherReference.Gather(bytes, order, b, batchSize, cols, batchSize, range), rtol: 0, atol: 1e-6f, what: $"batch {b}");
        }
        Assert.That(state.OptimizerStep, Is.Zero);
    }

    [Test]
    public void TrainingStepsAdvanceTheOptimizerStep()
    {
        using var state = new TrainingState(Gpu);
        Gpu.Run(r => r.Fill(state.Tensor));
        state.OptimizerStep = 41;
        Gpu.Run(r => state.RecordAdvance(r, optimizerStep: true));
        Assert.That(state.OptimizerStep, Is.EqualTo(42u));
    }

    [Test]
    public void PackBytesIsLittleEndian()
        => Assert.That(BatchGather.PackBytes([1, 2, 3, 4, 5]), Is.EqualTo(new uint[] { 0x04030201, 0x05 }));
}
