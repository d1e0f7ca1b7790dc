using VulkanAE.Models;

namespace VulkanAE.Tests.Models;

/// <summary>The built-in models that stand for a write-up match what the write-up states about them.</summary>
public class ReferenceModelTests : GpuTest
{
    [Test]
    public void TheDenseVaeWriteUpsParameterCountsAreFcVae2ds()
    {
        // The write-up gives only these counts (no layer sizes); the encoder includes the mean and log-variance heads.
        using var model = ModelCatalog.Create("fc-vae-2d").Build(Gpu, maxRows: 1, seed: 1);
        long decoder = model.Parameters.Where(p => p.Name.StartsWith("decoder.")).Sum(p => (long)p.Count);
        long encoder = model.Parameters.Sum(p => (long)p.Count) - decoder;
        Assert.That(encoder, Is.EqualTo(2_083_284));
        Assert.That(decoder, Is.EqualTo(2_083_552));
        Assert.That(model.Bottleneck!.Latent, Is.EqualTo(2));
    }

    [TestCase("conv-ae", 10, 256)]
    [TestCase("conv-vae", 20, 128)]
    [TestCase("fc-vae-2d", 100, 64)]
    public void DefaultsAreTheWriteUpsSchedules(string name, int epochs, int batch)
    {
        var defaults = ModelCatalog.Create(name).Defaults;
        Assert.That((defaults.Epochs, defaults.BatchSize, defaults.LearningRate), Is.EqualTo((epochs, batch, 1e-3f)));
    }
}
