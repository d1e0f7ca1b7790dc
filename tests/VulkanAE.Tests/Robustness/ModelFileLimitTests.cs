using VulkanAE.Models;

namespace VulkanAE.Tests.Robustness;

/// <summary>
/// Model files that once crashed the reader or ran it out of memory (issue 11): each is refused,
/// naming the line or layer, before anything is allocated.
/// </summary>
public class ModelFileLimitTests : GpuTest
{
    private static string Dense(string encoder, string loss = "mse", string extra = "") => $"""
        name big
        input 1 28 28
        loss {loss}
        {extra}
        encoder
          flatten
          {encoder}
        decoder
          dense 784
          sigmoid
        """;

    private static string Refusal(string text) => Assert.Throws<UserInputException>(() => ModelSpecFile.Parse(text, "big.model"))!.Message;

    [Test]
    public void StrideZeroIsRefusedWithItsLine()
        => Assert.That(Refusal(Dense("reshape 1 28 28\n  conv2d 4 kernel=3 stride=0")), Does.Contain("big.model line 8").And.Contain("stride=0"));

    [TestCase("dense 2000000000", "encoder.1")]
    [TestCase("dense 3000000", "encoder.1")]
    public void ALayerTooLargeForATensorIsNamed(string layer, string name)
        => Assert.That(Refusal(Dense(layer)), Does.Contain(name).And.Contain("make the layer smaller"));

    [Test]
    public void AHugeLatentIsRefused()
        => Assert.That(Refusal(Dense("dense 16", extra: "latent 2000000000")), Does.Contain("latent").And.Contain("make the layer smaller"));

    [TestCase("conv-transpose2d 4 kernel=3 stride=2000000000 padding=0")]
    [TestCase("conv2d 2000000000 kernel=50000 padding=25000")]
    public void HugeConvolutionSizesDoNotWrap(string layer)
        => Assert.That(Refusal(Dense("reshape 1 28 28\n  " + layer)), Does.Contain("encoder.2").And.Contain("make the layer smaller"));

    [Test]
    public void SymmetricRangeWithBinaryCrossEntropyIsRefused()
        => Assert.That(Refusal(Dense("dense 16", loss: "bce", extra: "range symmetric")), Does.Contain("range symmetric").And.Contain("loss mse"));

    [Test]
    public void TooManyLinesOrLayersAreRefusedBeforeTheShapesAreWalked()
    {
        Assert.That(Refusal(Dense(string.Concat(Enumerable.Repeat("relu\n", 150_000)))), Does.Contain("150,0").And.Contain("at most 10,000"));
        Assert.That(Refusal(Dense(string.Concat(Enumerable.Repeat("relu\n", ModelSpecFile.MaxLayersPerNetwork + 1)))),
            Does.Contain("more than 1000 layers"));
    }

    [Test]
    public void AFileTooLargeIsRefusedUnread()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("model").FullName, "huge.model");
        File.WriteAllText(path, new string('#', (int)ModelSpecFile.MaxFileBytes + 1));
        Assert.That(Assert.Throws<UserInputException>(() => ModelSpecFile.Load(path))!.Message, Does.Contain(path).And.Contain("at most"));
    }

    [Test]
    public void AModelLargerThanTheDeviceIsRefusedWithTheSizeItNeeds()
    {
        // Batches of 65,536 rows through a million-wide layer: ~0.5 TB of activations, more than any device holds.
        const int rows = 65_536;
        var spec = ModelSpecFile.Parse(Dense("dense 1000000"), "big.model");
        var error = Assert.Throws<UserInputException>(() => spec.Build(Gpu, maxRows: rows, seed: 1))!;
        double parameters = 785.0 * 1_000_000 + 1_000_001.0 * 784;
        double activations = 3 * 784 + 1_000_000; // input, flatten, dense, decoder dense (the output sigmoid is fused, not a layer)
        double needed = 4 * (4 * parameters + 2 * rows * activations) / (1024 * 1024);
        Assert.That(error.Message, Does.Contain($"{needed:N1} MiB").And.Contain(Gpu.Info.Name).And.Contain("--batch"));
    }
}
