using VulkanAE.Data;
using VulkanAE.Kernels.Optim;
using VulkanAE.Models;
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
}
