using System.Globalization;
using VulkanAE.IO;
using VulkanAE.Tests.Plots;
using VulkanAE.Training;

namespace VulkanAE.Tests.Training;

/// <summary>`vae compare --models fc-ae,fc-vae`: the two measured alike, their decoders given prior draws, their latent layouts side by side.</summary>
public class AutoencoderAgainstVaeTests
{
    [Test]
    public void ReconstructionErrorIsPerPixelBceAndMseAsPyTorchClampsThem()
    {
        byte[] pixels = [255, 0, 255, 0];
        float[] outputs = [0.5f, 0.5f, 1f, 0f];
        var (bce, mse) = ComparisonPictures.ReconstructionError(pixels, outputs);
        // ln 2 twice, then two exact pixels (0 each, the clamped log of 0 multiplied by a zero weight).
        Assert.That(bce, Is.EqualTo(2 * Math.Log(2) / 4).Within(1e-12));
        Assert.That(mse, Is.EqualTo(2 * 0.25 / 4).Within(1e-12));
        // A confident wrong pixel costs 100 (BCELoss's log floor), not infinity.
        Assert.That(ComparisonPictures.ReconstructionError([255], [0f]).Bce, Is.EqualTo(100).Within(1e-12));
    }

    [Test]
    public void AnAutoencoderAndAVaeAreComparedOnOneFooting()
    {
        var directory = Directory.CreateTempSubdirectory("ae-vs-vae").FullName;
        var template = new TrainingOptions(Epochs: 1, BatchSize: 32, Latent: 2, Limit: 320, VulkanValidation: true);
        var runs = Comparison.Execute(template, ["fc-ae", "fc-vae"], [0f], directory, new QuietObserver());

        var table = File.ReadAllLines(Path.Combine(directory, ComparisonPictures.ReconstructionTableFile));
        Assert.That(table[0], Is.EqualTo("configuration,code,test_bce_per_pixel,test_mse_per_pixel"));
        Assert.That(table.Skip(1).Select(line => line.Split(',')[..2]), Is.EqualTo(new[] { new[] { "fc-ae", "code" }, new[] { "fc-vae", "posterior mean" } }));
        // The autoencoder's own test loss is BCE per pixel of its reconstructions: the common measure must agree with it.
        double aeBce = double.Parse(table[1].Split(',')[2], CultureInfo.InvariantCulture);
        Assert.That(aeBce, Is.EqualTo(runs[0].History[^1].TestLoss).Within(1e-4 * aeBce));
        foreach (var line in table.Skip(1))
            Assert.That(double.Parse(line.Split(',')[3], CultureInfo.InvariantCulture), Is.InRange(1e-4, 0.25), line);

        var samples = ChartFiles.Read(Path.Combine(directory, ComparisonPictures.SamplesFile));
        Assert.That(samples.Texts, Is.SupersetOf(new[] { "fc-ae", "fc-vae" }));
        var latents = ChartFiles.Read(Path.Combine(directory, ComparisonPictures.LatentsFile));
        Assert.That(latents.Picture.Width, Is.GreaterThan(latents.Picture.Height)); // two layouts side by side
        Assert.That(latents.Texts, Is.SupersetOf(new[] { "fc-ae: codes (z[0], z[1])", "fc-vae: latent means (z[0], z[1])" }));
    }
}
