using VulkanAE.IO;
using VulkanAE.Training;

namespace VulkanAE.Tests.Training;

/// <summary>The reference write-ups' experiments end to end on a few hundred images: the loss falls and the outputs are valid files.</summary>
public class ExperimentTests
{
    private sealed class Quiet : ITrainingObserver
    {
        public void Started(string description, int firstEpoch, int epochs, int stepsPerEpoch) { }
        public bool Progress(int epoch, StepProgress progress) => true;
        public void EpochFinished(EpochMetrics metrics) { }
        public void Stopped(int epoch, int step) { }
    }

    private static string TempDirectory(string name) => Directory.CreateTempSubdirectory(name).FullName;

    [Test]
    public void TanhAutoencoderWritesItsPixelTable()
    {
        var directory = TempDirectory("fc-ae-48");
        var history = TrainingRun.Execute(new TrainingOptions(Model: "fc-ae-48", Epochs: 3, BatchSize: 50, Limit: 500,
            OutputDirectory: directory, Validation: true), new Quiet());
        Assert.That(history[^1].TestLoss, Is.LessThan(history[0].TestLoss));
        var table = File.ReadAllLines(Path.Combine(directory, RunDirectory.ReconstructionTableFile));
        Assert.That(table[0], Is.EqualTo("image,pixel,original,reconstructed"));
        Assert.That(table, Has.Length.EqualTo(1 + RunPictures.ReconstructionCount * 784));
        var last = table[^1].Split(',');
        Assert.That(last[0], Is.EqualTo((RunPictures.ReconstructionCount - 1).ToString()));
        Assert.That(float.Parse(last[3], System.Globalization.CultureInfo.InvariantCulture), Is.InRange(0f, 1f));
    }

    [Test]
    public void DenoisingComparisonPlotsEveryConfiguration()
    {
        var directory = TempDirectory("compare");
        var template = new TrainingOptions(Dataset: "fashion-mnist", Epochs: 2, BatchSize: 32, Limit: 320, Validation: true);
        var runs = Comparison.Execute(template, ["fc-ae"], [0f, 0.3f], directory, new Quiet());

        Assert.That(runs.Select(r => r.Label), Is.EqualTo(new[] { "fc-ae", "fc-ae noise 0.3" }));
        foreach (var run in runs) Assert.That(run.History[^1].TestLoss, Is.LessThan(run.History[0].TestLoss), run.Label);
        Assert.That(File.ReadAllLines(Path.Combine(directory, Comparison.TableFile)), Has.Length.EqualTo(1 + 2 * 2));
        var chart = Png.Read(Path.Combine(directory, Comparison.ChartFile));
        Assert.That(chart.Width, Is.GreaterThan(500));
        var grid = Png.Read(Path.Combine(directory, Comparison.DenoisingFile));
        Assert.That(grid.Width, Is.GreaterThan(grid.Height)); // 8 columns of noisy / output / clean
    }

    [Test]
    public void DenseAndConvolutionalModelsCompareOnFashionMnist()
    {
        var directory = TempDirectory("dense-vs-conv");
        var template = new TrainingOptions(Dataset: "fashion-mnist", Epochs: 2, BatchSize: 32, Limit: 256, Validation: true);
        var runs = Comparison.Execute(template, ["fc-ae", "conv-ae"], [0f], directory, new Quiet());
        Assert.That(runs.Select(r => r.Label), Is.EqualTo(new[] { "fc-ae", "conv-ae" }));
        foreach (var run in runs) Assert.That(run.History[^1].TrainLoss, Is.LessThan(run.History[0].TrainLoss), run.Label);
        Assert.That(File.Exists(Path.Combine(directory, Comparison.DenoisingFile)), Is.False);
        Assert.That(Png.Read(Path.Combine(directory, Comparison.ChartFile)).Height, Is.GreaterThan(100));
    }
}
