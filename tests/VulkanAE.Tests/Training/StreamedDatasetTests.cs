using VulkanAE.Core;
using VulkanAE.Data;
using VulkanAE.Kernels.Optim;
using VulkanAE.Models;
using VulkanAE.Training;

namespace VulkanAE.Tests.Training;

/// <summary>
/// A training set streamed through two device buffers visits the images a resident one does, in the
/// same batches, so training gives the same numbers bit for bit. Odd sizes throughout: a last chunk
/// shorter than the others, images whose bytes do not fill whole 32-bit words.
/// </summary>
public class StreamedDatasetTests : GpuTest
{
    /// <summary>101 random images of 3x5x5 bytes (75: rows start inside words), with labels.</summary>
    private static ImageDataset RandomImages(int count = 101)
    {
        var random = new Random(7);
        var pixels = new byte[count * 75];
        random.NextBytes(pixels);
        return new ImageDataset("random", count, 3, 5, 5, pixels, Enumerable.Range(0, count).Select(i => i % 3).ToArray(), classCount: 3);
    }

    [TestCase(7, 2)] // chunks of 14 images: 7 full, the last of 3
    [TestCase(4, 25)] // one chunk of 100 images and one of 1
    [TestCase(101, 1)] // one batch of the whole set
    public void EveryBatchFindsItsImagesAtItsRowsOfItsSlot(int batchSize, int chunkBatches)
    {
        var images = RandomImages();
        using var set = new StreamedDataset(Gpu, images, batchSize, chunkBatches);
        set.Shuffle(new Random(3));
        var order = new uint[images.Count];
        var rows = new uint[images.Count];
        set.Order.Download<uint>(order);
        set.Rows.Download<uint>(rows);
        Assert.That(order.Order(), Is.EqualTo(Enumerable.Range(0, images.Count).Select(i => (uint)i)), "a permutation");
        Assert.That(order, Is.EqualTo(VisitingOrder.Shuffled(images.Count, new Random(3))), "the resident set's permutation");

        int batches = images.Count / batchSize;
        for (int batch = 0; batch < batches;)
        {
            int slot = set.Load(batch);
            int available = set.BatchesAvailable(batch);
            Assert.That(available, Is.InRange(1, chunkBatches));
            if (batch + available < batches) set.Prefetch(batch + available);
            var slotBytes = new byte[set.Pixels(slot).SizeBytes];
            set.Pixels(slot).Download<byte>(slotBytes);
            for (int visit = batch * batchSize; visit < Math.Min(images.Count, (batch + available) * batchSize); visit++)
                Assert.That(slotBytes.AsSpan((int)rows[visit] * 75, 75).ToArray(), Is.EqualTo(images.Image((int)order[visit]).ToArray()),
                    $"visit {visit} (batch {batch}, slot {slot})");
            batch += available;
        }
    }

    [Test]
    public void StreamedTrainingGivesTheResidentNumbersAcrossAStopAndResume()
    {
        var train = Mnist.LoadFromDataDirectory(Mnist.DigitsFolder, train: true).Take(330);
        var test = Mnist.LoadFromDataDirectory(Mnist.DigitsFolder, train: false).Take(50);
        var resident = Train(new DeviceDataset(Gpu, train), test, stopAt: null);
        // Chunks of 3 batches of 16 (48 images): 6 full and one of 42; the stop lands inside a chunk.
        var streamed = Train(new StreamedDataset(Gpu, train, batchSize: 16, chunkBatches: 3), test, stopAt: 8);
        Assert.That(streamed.Losses, Is.EqualTo(resident.Losses));
        Assert.That(streamed.Weights, Is.EqualTo(resident.Weights));
    }

    /// <summary>Two epochs of a small VAE (its sampling noise follows the batches too); the first stopped at the first report past <paramref name="stopAt"/> and resumed.</summary>
    private (double[] Losses, float[] Weights) Train(ITrainingSet train, ImageDataset testImages, int? stopAt)
    {
        using var set = train;
        using var test = new DeviceDataset(Gpu, testImages);
        using var model = ModelCatalog.Create("fc-vae", new ModelOptions(Latent: 2, Hidden: [24])).Build(Gpu, maxRows: 16, seed: 5);
        using var trainer = new Trainer(Gpu, model, set, test, batchSize: 16, new AdamSettings(3e-3f), seed: 9) { ReportInterval = TimeSpan.Zero };
        var losses = new List<double>();
        var first = trainer.TrainEpoch(1, p => stopAt is null || p.Step < stopAt);
        if (first is null)
        {
            Assert.That(trainer.StoppedAt!.Step, Is.GreaterThanOrEqualTo(stopAt!.Value));
            first = trainer.TrainEpoch(1, resumeAt: trainer.StoppedAt);
        }
        losses.Add(first!.Total);
        losses.Add(trainer.Evaluate().Total);
        losses.Add(trainer.TrainEpoch(2)!.Total);
        losses.Add(trainer.Evaluate().Total);
        return (losses.ToArray(), model.Arena.Values.ToArray());
    }

    [Test]
    public void ASetOverTheBudgetStreamsAndOneUnderItStaysResident()
    {
        var images = Mnist.LoadFromDataDirectory(Mnist.DigitsFolder, train: true).Take(2000); // 1.5 MiB
        var notes = new List<string>();
        using (var streamed = TrainingSetPlacement.Place(Gpu, images, batchSize: 64, budgetMegabytes: 1, notes.Add))
        {
            Assert.That(streamed, Is.TypeOf<StreamedDataset>());
            // Half of 1 MiB per buffer holds 10 batches of 64 images of 784 bytes.
            Assert.That(((StreamedDataset)streamed).ChunkImages, Is.EqualTo(640));
            Assert.That(notes.Single(), Does.Contain("--device-dataset-mb"));
        }
        using var resident = TrainingSetPlacement.Place(Gpu, images, batchSize: 64, budgetMegabytes: 2, notes.Add);
        Assert.That(resident, Is.TypeOf<DeviceDataset>());
    }

    [Test]
    public void ABudgetUnderTwoBatchesIsRefusedNamingTheOption()
    {
        var images = Mnist.LoadFromDataDirectory(Mnist.DigitsFolder, train: true).Take(2000);
        var refused = Assert.Throws<UserInputException>(() => TrainingSetPlacement.Place(Gpu, images, batchSize: 1000, budgetMegabytes: 1, _ => { }));
        Assert.That(refused!.Message, Does.Contain("--device-dataset-mb 1").And.Contain("at least 2").And.Contain("--batch"));
    }

    [Test]
    public void TheDefaultBudgetIsAShareOfTheDeviceHeap()
    {
        long heap = (long)Gpu.Info.Heaps.Where(h => h.DeviceLocal).Max(h => h.SizeBytes);
        Assert.That(TrainingSetPlacement.DefaultBudgetBytes(Gpu.Info), Is.EqualTo(heap / 16));
    }
}

/// <summary>The staging path of a discrete GPU, forced on the CPU driver: uploads are copies submitted ahead of the chunk's steps.</summary>
public class StreamedDatasetStagingTests : GpuTest
{
    internal override GpuOptions Options => new(Validation: true, ForceStaging: true);

    [Test]
    public void StreamedTrainingThroughStagingGivesTheResidentNumbers()
    {
        var train = Mnist.LoadFromDataDirectory(Mnist.DigitsFolder, train: true).Take(200);
        var test = Mnist.LoadFromDataDirectory(Mnist.DigitsFolder, train: false).Take(40);
        Assert.That(Train(new StreamedDataset(Gpu, train, batchSize: 16, chunkBatches: 2), test), Is.EqualTo(Train(new DeviceDataset(Gpu, train), test)));
    }

    private double[] Train(ITrainingSet train, ImageDataset testImages)
    {
        using var set = train;
        using var test = new DeviceDataset(Gpu, testImages);
        using var model = ModelCatalog.Create("fc-ae", new ModelOptions(Latent: 4, Hidden: [16])).Build(Gpu, maxRows: 16, seed: 2);
        using var trainer = new Trainer(Gpu, model, set, test, batchSize: 16, new AdamSettings(3e-3f), seed: 4) { ReportInterval = TimeSpan.Zero };
        return [trainer.TrainEpoch(1)!.Total, trainer.TrainEpoch(2)!.Total, trainer.Evaluate().Total];
    }
}
