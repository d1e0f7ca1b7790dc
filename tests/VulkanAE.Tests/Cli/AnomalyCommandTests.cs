namespace VulkanAE.Tests.Cli;

/// <summary>The options of `vae dataset synth-faces` and `vae anomaly` that need no trained run.</summary>
public class AnomalyCommandTests
{
    [Test]
    public void SynthFacesWritesTheFolderItReports()
    {
        var directory = Path.Combine(Directory.CreateTempSubdirectory("synth").FullName, "faces");
        var result = VaeProcess.Run(["dataset", "synth-faces", "--out", directory, "--train", "3", "--test-normal", "2", "--per-kind", "1", "--size", "24"]);
        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(Directory.GetFiles(Path.Combine(directory, "train")), Has.Length.EqualTo(3));
        Assert.That(Directory.GetFiles(Path.Combine(directory, "test", "anomalous", "extra-eye")), Has.Length.EqualTo(1));
    }

    [Test]
    public void SynthFacesRefusesATinySize()
    {
        var result = VaeProcess.Run(["dataset", "synth-faces", "--out", Directory.CreateTempSubdirectory("synth").FullName, "--size", "8"]);
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("--size 8"));
    }

    [Test]
    public void AnomalyRefusesAFalsePositiveRateAboveOne()
    {
        var result = VaeProcess.Run(["anomaly", "--run", "nowhere", "--data", "nowhere", "--fpr", "5"]);
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("--fpr 5"));
    }

    [TestCase("--window", "4")]
    [TestCase("--top-percent", "0")]
    public void AnomalyRefusesAPoolingSizeThatSelectsNoPixels(string option, string value)
    {
        var result = VaeProcess.Run(["anomaly", "--run", "nowhere", "--data", "nowhere", option, value]);
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain($"{option} {value}:"));
    }

    [Test]
    public void AnomalyListsTheScores()
    {
        var result = VaeProcess.Run(["anomaly", "--run", "nowhere", "--data", "nowhere", "--score", "psnr"]);
        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(result.Error + result.Output, Does.Contain("mse").And.Contain("ssim").And.Contain("gradient").And.Contain("density"));
    }

    [Test]
    public void AnomalyRefusesNormalImagesForAReconstructionScore()
    {
        var result = VaeProcess.Run(["anomaly", "--run", "nowhere", "--data", "nowhere", "--score", "mse", "--normal", "faces/train"]);
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("--normal faces/train: only --score density"));
    }

    [Test]
    public void AnEnsembleOfRunsNeedsAFolderForItsResults()
    {
        var result = VaeProcess.Run(["anomaly", "--run", "seed1", "seed2", "--data", "nowhere"]);
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("--out: 2 runs score as an ensemble"));
    }
}
