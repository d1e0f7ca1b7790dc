using VulkanAE.Data;
using VulkanAE.Kernels.Data;
using VulkanAE.Kernels.Noise;
using VulkanAE.Kernels.Optim;
using VulkanAE.Kernels.Training;
using VulkanAE.Models;
using VulkanAE.Models.Layers;
using VulkanAE.Training;

namespace VulkanAE.Tests.Training;

public class TrainerTests : GpuTest
{
    [TestCase(null)]
    [TestCase(1f)]
    public void AStepUpdatesTheWholeModelWithOneAdamDispatch(float? clipGradNorm)
    {
        using var model = ModelCatalog.Create("fc-vae", new ModelOptions(Latent: 3, Hidden: [17])).Build(Gpu, maxRows: 32, seed: 1);
        using var train = new DeviceDataset(Gpu, Mnist.LoadFromDataDirectory(Mnist.DigitsFolder, train: true).Take(64));
        using var test = new DeviceDataset(Gpu, Mnist.LoadFromDataDirectory(Mnist.DigitsFolder, train: false).Take(32));
        using var trainer = new Trainer(Gpu, model, train, test, batchSize: 32, new AdamSettings(), seed: 1, clipGradNorm: clipGradNorm);
        var labels = trainer.ProfileStep().Select(command => command.Label).ToArray();
        Assert.That(model.Parameters, Has.Count.EqualTo(10));
        Assert.That(labels.Count(label => label == "optim/adam"), Is.EqualTo(1), string.Join(", ", labels));
        Assert.That(labels.Count(label => label.StartsWith("optim/gradient_", StringComparison.Ordinal)), Is.EqualTo(clipGradNorm is null ? 0 : 2));
    }

    [Test]
    public void ACutPasteClassifiersTestLossIsItsCrossEntropyOnEachImageAndItsPastedCopy()
    {
        // 13 test images in batches of 5: two full batches and a tail of 3, each run with its pasted copies against 0 and 1.
        const int batch = 5, count = 13, seed = 4;
        var spec = ModelCatalog.Create("face-cutpaste", new ModelOptions(Hidden: [4, 4]));
        var shape = spec.InputShape;
        var random = new Random(2);
        ImageDataset Images(string name, int images)
        {
            var bytes = new byte[images * shape.Size];
            random.NextBytes(bytes);
            return new ImageDataset(name, images, shape.Channels, shape.Height, shape.Width, bytes, labels: null, classCount: 0);
        }
        var testImages = Images("test", count);
        using var model = spec.Build(Gpu, maxRows: 2 * batch, seed: 1);
        using var train = new DeviceDataset(Gpu, Images("train", 16));
        using var test = new DeviceDataset(Gpu, testImages);
        using var trainer = new Trainer(Gpu, model, train, test, batch, new AdamSettings(), seed);
        double loss = trainer.Evaluate().Total;

        // The same on the host: the reference gather and cut-paste, the model's forward pass on their result, BCE with logits.
        var (minSide, maxSide) = Trainer.PatchSides(shape);
        uint[] order = Enumerable.Range(0, count).Select(i => (uint)i).ToArray();
        using var state = new TrainingState(Gpu);
        double sum = 0;
        for (int b = 0; b * batch < count; b++)
        {
            int images = Math.Min(batch, count - b * batch);
            var clean = BatchGatherReference.Gather(testImages.Pixels.Span, order, (uint)b, images, shape.Size, batch, spec.Range);
            var doubled = CutPasteReference.AppendCutPasted(clean, images, shape, minSide, maxSide, seed, (uint)NoiseStream.EvaluationCorruption, 0, (uint)b);
            using var input = Gpu.CreateTensor("input", doubled);
            Gpu.Run(r => model.RecordForward(r, input, 2 * images, state.Tensor, NoiseStream.Inference, reconstruction: false));
            var logits = model.Decoder.Output.ToArray();
            for (int row = 0; row < 2 * images; row++)
            {
                double x = logits[row], target = row < images ? 0 : 1;
                sum += Math.Max(x, 0) - x * target + Math.Log(1 + Math.Exp(-Math.Abs(x)));
            }
        }
        Assert.That(loss, Is.EqualTo(sum / (2 * count)).Within(1e-5).Percent);
        Assert.That(Trainer.PatchSides(shape), Is.EqualTo((4, 32)), "a sixteenth to a half of 64");
    }

    [Test]
    public void ACutPasteClassifierRefusesDenoising()
    {
        var spec = ModelCatalog.Create("face-cutpaste", new ModelOptions(Hidden: [4]));
        using var model = spec.Build(Gpu, maxRows: 4, seed: 1);
        var images = new ImageDataset("blank", 4, 3, 64, 64, new byte[4 * spec.InputFeatures], labels: null, classCount: 0);
        using var data = new DeviceDataset(Gpu, images);
        var error = Assert.Throws<ArgumentException>(() => new Trainer(Gpu, model, data, data, batchSize: 2, new AdamSettings(), seed: 1, noiseFactor: 0.1f));
        Assert.That(error!.Message, Does.Contain("--noise").And.Contain("CutPaste"));
    }
}
