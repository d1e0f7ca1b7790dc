using System.Text.Json;
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
}
