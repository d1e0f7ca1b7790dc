using VulkanAE.IO;
using VulkanAE.Tests.Cli;
using VulkanAE.Training;

namespace VulkanAE.Tests.Robustness;

/// <summary>
/// A real run directory, damaged one file at a time. reconstruct, sample, view --snapshot and
/// train --resume share the readers tested on their own beside this; here one command of the CLI
/// and one resume show the errors reach the user as one line and exit status 2, no stack trace.
/// The commands that use a model read run.yaml and model.safetensors; only --resume reads the checkpoint.
/// </summary>
public class DamagedRunTests
{
    private string _run = null!;

    [OneTimeSetUp]
    public void TrainATinyRun()
    {
        _run = Directory.CreateTempSubdirectory("damaged-run").FullName;
        TrainingRun.Execute(new TrainingOptions(Epochs: 1, BatchSize: 32, Limit: 64, OutputDirectory: _run, VulkanValidation: true), new Training.QuietObserver());
    }

    private string Copy()
    {
        var copy = Directory.CreateTempSubdirectory("damaged-copy").FullName;
        foreach (var file in Directory.GetFiles(_run)) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        return copy;
    }

    private static void Rewrite(string run, Action<Dictionary<string, SafetensorsTensor>, Dictionary<string, string>> damage,
        string file = RunDirectory.CheckpointFile)
    {
        var path = Path.Combine(run, file);
        var content = Safetensors.Read(path);
        var tensors = new Dictionary<string, SafetensorsTensor>(content.Tensors);
        var metadata = new Dictionary<string, string>(content.Metadata);
        damage(tensors, metadata);
        Safetensors.Write(path, tensors, metadata);
    }

    private static void AssertCleanUserError(VaeProcess.Result result, params string[] named)
    {
        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Error, Does.StartWith("error: ").And.Not.Contain("   at "));
        foreach (var name in named) Assert.That(result.Error, Does.Contain(name));
    }

    [Test]
    public void ReconstructRefusesARunDescriptionWhoseEpochsAreNotANumber()
    {
        var run = Copy();
        var description = Path.Combine(run, RunDirectory.DescriptionFile);
        File.WriteAllLines(description, File.ReadAllLines(description).Select(line => line.StartsWith("epochs:") ? "epochs: abc" : line));
        AssertCleanUserError(VaeProcess.Run(["reconstruct", run]), RunDirectory.DescriptionFile, "line", "abc");
    }

    [Test]
    public void ResumeRefusesACheckpointEpochThatIsNotANumber()
    {
        var run = Copy();
        Rewrite(run, (_, metadata) => metadata[CheckpointMetadata.EpochKey] = "abc");
        AssertCleanUserError(VaeProcess.Run(["train", "--resume", run]), RunDirectory.CheckpointFile, CheckpointMetadata.EpochKey, "'abc'");
    }

    [Test]
    public void ReconstructRefusesNonFiniteWeights()
    {
        var run = Copy();
        Rewrite(run, (tensors, _) => tensors["encoder.0.bias"] = SafetensorsTensor.FromFloats(
            tensors["encoder.0.bias"].ToFloats().Select((v, i) => i == 3 ? float.NaN : v).ToArray(), tensors["encoder.0.bias"].Shape), RunDirectory.WeightsFile);
        AssertCleanUserError(VaeProcess.Run(["reconstruct", run]), "encoder.0.bias", "1 values that are NaN", "--lr");
    }

    [Test]
    public void ResumeRefusesAMetricsFileWithoutTheCheckpointsEpochs()
    {
        var run = Copy();
        var metrics = Path.Combine(run, RunDirectory.MetricsFile);
        File.WriteAllLines(metrics, File.ReadAllLines(metrics).Take(1));
        var error = Assert.Throws<UserInputException>(() => TrainingRun.Resume(run, 2, new Training.QuietObserver()))!;
        Assert.That(error.Message, Does.Contain(metrics).And.Contain("rows for 0 epochs").And.Contain("completed 1"));
    }

    [Test]
    public void ResumeRefusesAnOptimizerStepThatDoesNotCountTheSteps()
    {
        var run = Copy();
        Rewrite(run, (_, metadata) => metadata[CheckpointMetadata.OptimizerStepKey] = "5");
        var error = Assert.Throws<UserInputException>(() => TrainingRun.Resume(run, 2, new Training.QuietObserver()))!;
        Assert.That(error.Message, Does.Contain(CheckpointMetadata.OptimizerStepKey).And.Contain("1 epochs of 2 steps make 2"));
    }
}
