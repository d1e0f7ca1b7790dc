using System.Text.Json;
using VulkanAE.Models;
using VulkanAE.Training;

namespace VulkanAE.Tests.Training;

/// <summary>run.yaml keeps every option that shapes a run, so `vae train --config` reruns the same one.</summary>
public class RunDescriptionTests
{
    [Test]
    public void TheValidationSplitEarlyStoppingAndScheduleReadBack()
    {
        var options = new TrainingOptions(Model: "fc-ae", Epochs: 9, ValidationSplit: 0.15, EarlyStopPatience: 3, LearningRateSchedule: "step",
            WarmupEpochs: 2, LearningRateDecay: 0.5f, LearningRateStepEpochs: 4, LearningRatePatience: 5);
        var file = Path.Combine(Directory.CreateTempSubdirectory("description").FullName, RunDirectory.DescriptionFile);
        File.WriteAllText(file, RunDescription.Of(options, new Dictionary<string, JsonElement>()).ToYaml());

        var read = RunDescription.Read(file, outputDirectory: "again").Options;
        Assert.That((read.ValidationSplit, read.EarlyStopPatience, read.LearningRateSchedule, read.WarmupEpochs, read.LearningRateDecay,
                read.LearningRateStepEpochs, read.LearningRatePatience),
            Is.EqualTo((0.15, (int?)3, "step", 2, 0.5f, (int?)4, 5)));
    }

    [Test]
    public void ADescriptionWithoutThemTrainsOnTheWholeSetAtAConstantRate()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("description").FullName, RunDirectory.DescriptionFile);
        File.WriteAllText(file, "model: fc-ae\ndataset: mnist\nepochs: 2\nbatch: 32\nlr: 0.001\n");
        var read = RunDescription.Read(file, outputDirectory: "again").Options;
        var defaults = new TrainingOptions();
        Assert.That((read.ValidationSplit, read.EarlyStopPatience, read.LearningRateSchedule, read.WarmupEpochs, read.LearningRateDecay,
                read.LearningRateStepEpochs, read.LearningRatePatience),
            Is.EqualTo((defaults.ValidationSplit, defaults.EarlyStopPatience, defaults.LearningRateSchedule, defaults.WarmupEpochs, defaults.LearningRateDecay,
                defaults.LearningRateStepEpochs, defaults.LearningRatePatience)));
    }

    [Test]
    public void TheDeviceDatasetBudgetReadsBackOnlyWhenGiven()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("description").FullName, RunDirectory.DescriptionFile);
        var given = RunDescription.Of(new TrainingOptions(Model: "fc-ae", DeviceDatasetMegabytes: 48), new Dictionary<string, JsonElement>()).ToYaml();
        Assert.That(given, Does.Contain("device_dataset_mb: 48"));
        File.WriteAllText(file, given);
        Assert.That(RunDescription.Read(file, outputDirectory: "again").Options.DeviceDatasetMegabytes, Is.EqualTo(48));

        var absent = RunDescription.Of(new TrainingOptions(Model: "fc-ae"), new Dictionary<string, JsonElement>()).ToYaml();
        Assert.That(absent, Does.Not.Contain("device_dataset_mb"), "the device's own default is not a number to record");
        File.WriteAllText(file, absent);
        Assert.That(RunDescription.Read(file, outputDirectory: "again").Options.DeviceDatasetMegabytes, Is.Null);
    }

    [Test]
    public void TheAlignmentReadsBackOnlyWhenGiven()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("description").FullName, RunDirectory.DescriptionFile);
        var given = RunDescription.Of(new TrainingOptions(Model: "face-conv-ae", Align: "foreground"), new Dictionary<string, JsonElement>()).ToYaml();
        Assert.That(given, Does.Contain("align: foreground"));
        File.WriteAllText(file, given);
        Assert.That(RunDescription.Read(file, outputDirectory: "again").Options.Align, Is.EqualTo("foreground"));
        Assert.That(RunDescription.Of(new TrainingOptions(Model: "face-conv-ae"), new Dictionary<string, JsonElement>()).ToYaml(), Does.Not.Contain("align"));
    }

    private static string Describe(string yaml)
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("description").FullName, RunDirectory.DescriptionFile);
        File.WriteAllText(file, yaml);
        return file;
    }

    [Test]
    public void AbsentEpochsBatchAndLrAreTheModelsDefaults()
    {
        var read = RunDescription.Read(Describe("model: fc-vae\ndataset: mnist\n"), outputDirectory: "again").Options;
        var defaults = ModelCatalog.Create("fc-vae").Defaults;
        Assert.That(read.Epochs, Is.EqualTo(defaults.Epochs), "the checkpoint records resolved epochs, so they resolve here");
        Assert.That((read.BatchSize, read.LearningRate), Is.EqualTo(((int?)null, (float?)null)), "resolved when the run is built");
    }

    [TestCase("epochs: 0", "'epochs: 0': it must be at least 1")]
    [TestCase("batch: -4", "'batch: -4': it must be at least 1")]
    [TestCase("lr: 0", "'lr: 0': it must be a positive number")]
    [TestCase("latent: 0", "'latent: 0': it must be at least 1")]
    [TestCase("hidden: [64, 0]", "'hidden: [64, 0]': it must be widths of at least 1")]
    [TestCase("beta: -1", "'beta: -1': it must be a number of 0 or more")]
    [TestCase("kl_warmup: -2", "'kl_warmup: -2': it must be 0 or more")]
    [TestCase("noise: -0.5", "'noise: -0.5': it must be a number of 0 or more")]
    [TestCase("clip_grad: 0", "'clip_grad: 0': it must be a positive number")]
    [TestCase("val_split: 1", "'val_split: 1': it must be 0 (none), or a fraction between 0 and 1")]
    [TestCase("early_stop: 0", "'early_stop: 0': it must be at least 1 epoch")]
    [TestCase("lr_schedule: linear", "'lr_schedule: linear': it must be one of constant, cosine")]
    [TestCase("warmup_epochs: -1", "'warmup_epochs: -1': it must be 0 or more")]
    [TestCase("lr_decay: 1.5", "'lr_decay: 1.5': it must be a factor between 0 and 1")]
    [TestCase("lr_step_epochs: 0", "'lr_step_epochs: 0': it must be at least 1")]
    [TestCase("lr_patience: -1", "'lr_patience: -1': it must be 0 or more")]
    [TestCase("limit: 0", "'limit: 0': it must be at least 1")]
    [TestCase("image_size: 0", "'image_size: 0': it must be at least 1")]
    [TestCase("channels: 2", "'channels: 2': it must be 1 or 3")]
    [TestCase("tune_seconds: -1", "'tune_seconds: -1': it must be a number of 0 or more")]
    [TestCase("device_dataset_mb: 0", "'device_dataset_mb: 0': it must be at least 1 (MiB)")]
    [TestCase("align: sideways", "'align: sideways': it must be 'foreground' or absent")]
    public void AnInvalidValueIsRefusedNamingTheFileAndTheKey(string line, string message)
    {
        var file = Describe($"model: fc-vae\ndataset: mnist\n{line}\n");
        var error = Assert.Throws<UserInputException>(() => RunDescription.Read(file, outputDirectory: "again"))!;
        Assert.That(error.Message, Does.StartWith($"{file}: {message}"));
    }

    [TestCase("dataset: mnist\n", "no 'model'")]
    [TestCase("model: fc-vae\n", "no 'dataset'")]
    public void AMissingModelOrDatasetIsNamedWithTheFile(string yaml, string message)
    {
        var file = Describe(yaml);
        var error = Assert.Throws<UserInputException>(() => RunDescription.Read(file, outputDirectory: "again"))!;
        Assert.That(error.Message, Does.StartWith($"{file}: {message}"));
    }
}
