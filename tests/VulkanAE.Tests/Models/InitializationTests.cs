using VulkanAE.Models;
using VulkanAE.Models.Layers;

namespace VulkanAE.Tests.Models;

public class InitializationTests
{
    [Test]
    public void PyTorchDrawsWeightsAndBiasesWithinOneOverRootFanIn()
    {
        var (weight, bias) = Initialization.Draw(WeightInit.PyTorch, new Random(1), 784 * 128, 128, fanIn: 784, fanOut: 128);
        float bound = 1f / MathF.Sqrt(784);
        Assert.That(weight, Is.All.InRange(-bound, bound));
        Assert.That(bias, Is.All.InRange(-bound, bound));
        // A uniform draw fills its range: the extremes come within 1% of the bound.
        Assert.That(weight.Max(), Is.GreaterThan(0.99f * bound));
        Assert.That(bias.Any(b => b != 0), Is.True);
    }

    [Test]
    public void GlorotDrawsWeightsFromBothFansAndZeroBiases()
    {
        var (weight, bias) = Initialization.Draw(WeightInit.Glorot, new Random(1), 144 * 72, 72, fanIn: 144, fanOut: 72);
        float bound = MathF.Sqrt(6f / (144 + 72));
        Assert.That(weight, Is.All.InRange(-bound, bound));
        Assert.That(weight.Max(), Is.GreaterThan(0.99f * bound));
        Assert.That(bias, Is.All.Zero);
    }

    [Test]
    public void TheKerasWriteUpsModelStartsLikeKeras()
    {
        Assert.That(ModelCatalog.Create("fc-ae-48").Init, Is.EqualTo(WeightInit.Glorot));
        Assert.That(ModelCatalog.Create("fc-ae").Init, Is.EqualTo(WeightInit.PyTorch));
        var spec = ModelSpecFile.Parse("name g\ninput 1 2 2\nloss mse\ninit glorot\nencoder\n dense 2\ndecoder\n dense 4\n", "g.model");
        Assert.That(spec.Init, Is.EqualTo(WeightInit.Glorot));
    }
}
