using VulkanAE.IO;
using VulkanAE.Tests.Cli;
using VulkanAE.Training;

namespace VulkanAE.Tests.Training;

/// <summary>
/// run.yaml, model.safetensors and checkpoint.safetensors as the CLI uses them: a run rerun from
/// its description, a used --out, a directory of the model files alone, weights that disagree,
/// and weights imported from elsewhere.
/// </summary>
public class RunFilesTests
{
    private static readonly string[] TinyVae = ["--model", "fc-vae", "--hidden", "32", "--latent", "2", "--limit", "256", "--batch", "64", "--epochs", "2"];
    private string _run = null!;

    [OneTimeSetUp]
    public void TrainATinyVae()
    {
        _run = Path.Combine(Directory.CreateTempSubdirectory("run-files").FullName, "run");
        var result = VaeProcess.Run(["train", .. TinyVae, "--tune-seconds", "0.5", "--out", _run]);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
    }

    private static string[] LossColumns(string run)
        => File.ReadAllLines(Path.Combine(run, RunDirectory.MetricsFile)).Select(line => string.Join(",", line.Split(',')[..^2])).ToArray();

    private static string Copy(string run, params string[] files)
    {
        var copy = Directory.CreateTempSubdirectory("run-copy").FullName;
        foreach (var file in files) File.Copy(Path.Combine(run, file), Path.Combine(copy, file));
        return copy;
    }

    [Test]
    public void ARunRerunFromItsRunYamlGivesTheSameMetrics()
    {
        var rerun = Path.Combine(Directory.CreateTempSubdirectory("rerun").FullName, "again");
        var result = VaeProcess.Run(["train", "--config", Path.Combine(_run, RunDirectory.DescriptionFile), "--out", rerun]);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Does.Contain("in its run.yaml"), "the recorded kernel choices, not the cache's");
        Assert.That(LossColumns(rerun), Is.EqualTo(LossColumns(_run)), "train and test losses and each term, every epoch");
        Assert.That(LossColumns(rerun)[0], Does.Contain("test_kl"));

        var overridden = Path.Combine(Directory.CreateTempSubdirectory("rerun").FullName, "one-epoch");
        Assert.That(VaeProcess.Run(["train", "--config", Path.Combine(_run, RunDirectory.DescriptionFile), "--epochs", "1", "--out", overridden]).ExitCode, Is.EqualTo(0));
        Assert.That(LossColumns(overridden), Is.EqualTo(LossColumns(_run)[..2]), "--epochs overrides the file; epoch 1 is the same");
    }

    [Test]
    public void TheDeviceDatasetBudgetComesBackFromRunYaml()
    {
        // 2000 MNIST images are 1.5 MiB (a byte a pixel): over a budget of 1 MiB they stream.
        var description = Path.Combine(Directory.CreateTempSubdirectory("budget").FullName, RunDirectory.DescriptionFile);
        File.WriteAllText(description, "model: fc-vae\ndataset: mnist\nhidden: [32]\nlatent: 2\nlimit: 2000\nbatch: 64\nepochs: 1\ndevice_dataset_mb: 1\n");
        var rerun = Path.Combine(Directory.CreateTempSubdirectory("rerun").FullName, "streamed");
        var result = VaeProcess.Run(["train", "--config", description, "--no-tune", "--out", rerun]);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output + result.Error, Does.Contain("exceed --device-dataset-mb (1 MiB): streaming"));
        Assert.That(File.ReadAllText(Path.Combine(rerun, RunDirectory.DescriptionFile)), Does.Contain("device_dataset_mb: 1"));
    }

    [Test]
    public void AnOutThatHoldsARunIsRefusedUnlessOverwritten()
    {
        var run = Copy(_run, RunDirectory.DescriptionFile, RunDirectory.WeightsFile, RunDirectory.MetricsFile);
        var stale = Path.Combine(run, "latent_scatter.png");
        File.WriteAllText(stale, "from another run");
        var refused = VaeProcess.Run(["train", .. TinyVae, "--no-tune", "--out", run]);
        Assert.That(refused.ExitCode, Is.EqualTo(2), refused.Error);
        Assert.That(refused.Error, Does.Contain(run).And.Contain("already holds a run").And.Contain("--overwrite").And.Contain("--resume"));
        Assert.That(File.Exists(stale), Is.True, "nothing touched");

        var failing = VaeProcess.Run(["train", "--model", "fc-ae", "--limit", "128", "--epochs", "1", "--no-tune", "--out", run, "--overwrite"]);
        Assert.That(failing.Error, Does.Contain("--batch 256 is larger than the 128 training images"));
        Assert.That(File.Exists(stale), Is.True, "a run that cannot start deletes nothing");

        var overwritten = VaeProcess.Run(["train", "--model", "fc-ae", "--limit", "128", "--batch", "32", "--epochs", "1", "--no-tune", "--out", run, "--overwrite"]);
        Assert.That(overwritten.ExitCode, Is.EqualTo(0), overwritten.Error);
        Assert.That(File.Exists(stale), Is.False, "the old run's files are gone");
        Assert.That(File.ReadAllText(Path.Combine(run, RunDirectory.DescriptionFile)), Does.Contain("model: fc-ae"));
    }

    [Test]
    public void RunYamlAndModelSafetensorsAloneAreAModel()
    {
        var run = Copy(_run, RunDirectory.DescriptionFile, RunDirectory.WeightsFile);
        var result = VaeProcess.Run(["sample", run]);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(File.Exists(Path.Combine(run, RunDirectory.SamplesFile)), Is.True);
        Assert.That(result.Error, Does.Not.Contain("note:"), "nothing to disagree with");
    }

    [Test]
    public void ARunFromBeforeRunYamlIsDescribedByItsCheckpoint()
    {
        var run = Copy(_run, RunDirectory.WeightsFile, RunDirectory.CheckpointFile, RunDirectory.MetricsFile);
        var result = VaeProcess.Run(["reconstruct", run]);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
    }

    [Test]
    public void ReplacedWeightsAreUsedAndTheDisagreementNamed()
    {
        var run = Copy(_run, RunDirectory.DescriptionFile, RunDirectory.WeightsFile, RunDirectory.CheckpointFile, RunDirectory.MetricsFile);
        var path = Path.Combine(run, RunDirectory.WeightsFile);
        var weights = Safetensors.Read(path);
        var tensors = new Dictionary<string, SafetensorsTensor>(weights.Tensors)
        {
            ["decoder.2.bias"] = SafetensorsTensor.FromFloats(new float[784], 784),
        };
        Safetensors.Write(path, tensors, weights.Metadata);
        var result = VaeProcess.Run(["evaluate", run, "--limit", "50"]);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Error, Does.Contain("note: model.safetensors and checkpoint.safetensors hold different weights (first: 'decoder.2.bias'): using model.safetensors"));
        var resumed = VaeProcess.Run(["train", "--resume", run, "--epochs", "3"]);
        Assert.That(resumed.ExitCode, Is.EqualTo(0), resumed.Error);
        Assert.That(resumed.Output, Does.Contain("resuming from checkpoint.safetensors"));
    }

    [Test]
    public void ImportedWeightsMakeARunThatEvaluatesAsTheOriginal()
    {
        var imported = Path.Combine(Directory.CreateTempSubdirectory("imported").FullName, "run");
        var result = VaeProcess.Run(["import", Path.Combine(_run, RunDirectory.WeightsFile), "--model", "fc-vae", "--hidden", "32", "--latent", "2", "--out", imported]);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(Directory.GetFiles(imported).Select(Path.GetFileName), Is.EquivalentTo(new[] { RunDirectory.DescriptionFile, RunDirectory.WeightsFile }));
        var original = VaeProcess.Run(["evaluate", _run, "--limit", "100", "--out", Directory.CreateTempSubdirectory("eval").FullName]);
        var copy = VaeProcess.Run(["evaluate", imported, "--limit", "100"]);
        Assert.That(copy.ExitCode, Is.EqualTo(0), copy.Error);
        Assert.That(copy.Output.Split('\n').Where(l => l.Contains("test_")), Is.EqualTo(original.Output.Split('\n').Where(l => l.Contains("test_"))),
            "same weights, same seed: the same figures");
    }

    [Test]
    public void ImportNamesTheFirstMisfitAndTheMissingAndExtraTensorsAndWritesNothing()
    {
        var output = Path.Combine(Directory.CreateTempSubdirectory("misfit").FullName, "run");
        var result = VaeProcess.Run(["import", Path.Combine(_run, RunDirectory.WeightsFile), "--model", "fc-ae", "--out", output]);
        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Error, Does.Contain("tensor 'encoder.0.weight' has shape [32, 784], the model expects [128, 784]")
            .And.Contain("missing: encoder.2.weight, encoder.2.bias")
            .And.Contain("extra: latent.z_log_var.bias, latent.z_log_var.weight, latent.z_mean.bias, latent.z_mean.weight"));
        Assert.That(Directory.Exists(output), Is.False, "nothing written");

        var wrongType = Copy(_run, RunDirectory.WeightsFile);
        var path = Path.Combine(wrongType, RunDirectory.WeightsFile);
        var weights = Safetensors.Read(path);
        var tensors = new Dictionary<string, SafetensorsTensor>(weights.Tensors)
        {
            ["latent.z_mean.bias"] = SafetensorsTensor.FromInt32([0, 0], 2),
        };
        Safetensors.Write(path, tensors);
        var typed = VaeProcess.Run(["import", path, "--model", "fc-vae", "--hidden", "32", "--latent", "2", "--out", output]);
        Assert.That(typed.ExitCode, Is.EqualTo(2), typed.Error);
        Assert.That(typed.Error, Does.Contain("tensor 'latent.z_mean.bias' holds I32 elements, the model expects F32"));
    }

    [Test]
    public void AnMnistModelRefusesAFolderOfRgbImagesInAnomaly()
    {
        var folder = Directory.CreateTempSubdirectory("rgb-faces").FullName;
        var random = new Random(2);
        for (int i = 0; i < 4; i++)
            Png.Write(Path.Combine(folder, $"face{i}.png"), Enumerable.Range(0, 64 * 64 * 3).Select(_ => (byte)random.Next(256)).ToArray(), 64, 64, 3);
        var result = VaeProcess.Run(["anomaly", "--run", _run, "--data", folder, "--out", folder]);
        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Error, Does.Contain("3x64x64").And.Contain("1x28x28").And.Contain("--resize"));
        Assert.That(VaeProcess.Run(["anomaly", "--run", _run, "--data", folder, "--out", folder, "--resize"]).ExitCode, Is.EqualTo(0), "converted when asked");
    }

    [Test]
    public void ADamagedRunYamlIsNamedWithTheKey()
    {
        var run = Copy(_run, RunDirectory.DescriptionFile, RunDirectory.WeightsFile);
        var description = Path.Combine(run, RunDirectory.DescriptionFile);
        File.AppendAllText(description, "learning_rate: 0.1\n");
        var result = VaeProcess.Run(["sample", run]);
        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Error, Does.Contain(description).And.Contain("learning_rate"));
    }
}
