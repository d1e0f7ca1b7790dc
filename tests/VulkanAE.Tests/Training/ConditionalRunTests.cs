using Microsoft.ML.OnnxRuntime;
using VulkanAE.Core;
using VulkanAE.Evaluation;
using VulkanAE.Export;
using VulkanAE.IO;
using VulkanAE.Tests.Cli;
using VulkanAE.Tests.Export;
using VulkanAE.Tests.Plots;
using VulkanAE.Training;

namespace VulkanAE.Tests.Training;

/// <summary>
/// A short conditional VAE run on real MNIST (`vae train --condition labels`), and every command that
/// reads it back: what run.yaml records, the samples-by-class picture, sampling a chosen class,
/// evaluation with the labels, the ONNX export with its label input, and the clear refusals.
/// </summary>
public class ConditionalRunTests
{
    private string _directory = "";

    [OneTimeSetUp]
    public void TrainOneEpoch()
    {
        _directory = Directory.CreateTempSubdirectory("cvae").FullName;
        TrainingRun.Execute(new TrainingOptions(Model: "fc-vae", Dataset: "mnist", Epochs: 1, BatchSize: 64, LearningRate: 3e-3f, OutputDirectory: _directory,
            Limit: 256, VulkanValidation: true, Hidden: [32], Latent: 2, Condition: TrainingOptions.LabelCondition), new QuietObserver());
    }

    private TrainedRun Open() => TrainedRun.Open(_directory, new GpuOptions(Validation: true));

    [Test]
    public void RunYamlRecordsTheConditionAndTheClasses()
    {
        var description = RunDescription.Read(Path.Combine(_directory, RunDirectory.DescriptionFile), _directory);
        Assert.That(description.Options.Condition, Is.EqualTo("labels"));
        Assert.That(description.Options.ConditionClasses, Is.EqualTo(10), "MNIST's ten digits");
        Assert.That(description.Options.Spec().Description, Does.EndWith("conditioned on 10 classes"));
    }

    [Test]
    public void TheRunDrawsSamplesByClassInsteadOfUnconditionedSamples()
    {
        var picture = ChartFiles.Read(Path.Combine(_directory, RunDirectory.SamplesByClassFile));
        Assert.That(picture.Texts, Is.SupersetOf(Enumerable.Range(0, 10).Select(c => c.ToString())), "a name per row");
        Assert.That(picture.Picture.Width, Is.GreaterThan(RunPictures.SamplesPerClass * 28 * 2));
        Assert.That(picture.Picture.Height, Is.GreaterThan(10 * 28 * 2));
        Assert.That(File.Exists(Path.Combine(_directory, RunDirectory.SamplesFile)), Is.False, "no picture of codes decoded without a class");
        Assert.That(File.Exists(Path.Combine(_directory, RunDirectory.LatentScatterFile)), Is.True, "the encoder reads each test image's label");
    }

    [Test]
    public void TheDecoderReadsTheClassItIsGiven()
    {
        using var trained = Open();
        var z = RunPictures.PriorDraws(1, 2, seed: 3);
        var asOne = trained.Inference.Decode(z, [1]);
        var asSeven = trained.Inference.Decode(z, [7]);
        double difference = asOne.Zip(asSeven, (a, b) => Math.Abs(a - b)).Sum();
        Assert.That(difference, Is.GreaterThan(1), "one z decoded as a 1 and as a 7: the pixels differ");
        Assert.That(Assert.Throws<ArgumentException>(() => trained.Inference.Decode(z))!.Message, Does.Contain("conditioned on 10 classes"));
        Assert.That(Assert.Throws<ArgumentException>(() => trained.Inference.Decode(z, [10]))!.Message, Does.Contain("from 0 to 9"));
    }

    [Test]
    public void EvaluationGivesTheModelEachImagesLabel()
    {
        using var trained = Open();
        var summary = ModelEvaluation.Run(trained, new EvaluationRequest(ImportanceSamples: 3));
        Assert.That(summary.Figures.Select(f => f.Value), Is.All.Matches<double>(double.IsFinite), string.Join(", ", summary.Figures));
        var testLoss = summary.Figures.Single(f => f.Column == "test_loss").Value;
        var lastEpoch = EpochMetrics.ReadCsv(Path.Combine(_directory, RunDirectory.MetricsFile))[^1].TestLoss;
        Assert.That(testLoss, Is.EqualTo(lastEpoch).Within(1).Percent, "the labelled test loss of training");
    }

    [Test]
    public void TheExportedDecoderDrawsTheClassItIsGiven()
    {
        var output = Path.Combine(Directory.CreateTempSubdirectory("cvae-onnx").FullName, "onnx");
        var result = VaeProcess.Run(["export", _directory, "--onnx", output]);
        Assert.That(result.ExitCode, Is.Zero, result.Error);

        using var trained = Open();
        var z = RunPictures.PriorDraws(2, 2, seed: 3);
        int[] classes = [1, 7];
        using var session = new InferenceSession(Path.Combine(output, OnnxExport.DecoderFile));
        using var decoded = session.Run([OnnxInputs.Tensor(OnnxExport.LatentName, z, [2, 2]), OnnxInputs.Label(classes, 10)]);
        GpuTest.AssertClose(trained.Inference.Decode(z, classes), decoded.Single().AsTensor<float>().ToArray(), rtol: 0, atol: 1e-5f, what: "a 1 and a 7 decoded");
    }

    [Test]
    public void SampleDrawsTheClassAskedFor()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("cvae-sample").FullName, "sevens.png");
        var result = VaeProcess.Run(["sample", _directory, "--class", "7", "--out", path]);
        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(Png.Read(path).Width, Is.GreaterThan(8 * 28));

        var byClass = Path.Combine(Path.GetDirectoryName(path)!, "by_class.png");
        var unchosen = VaeProcess.Run(["sample", _directory, "--out", byClass]);
        Assert.That(unchosen.ExitCode, Is.Zero, unchosen.Error);
        Assert.That(ChartFiles.Read(byClass).Texts, Is.SupersetOf(Enumerable.Range(0, 10).Select(c => c.ToString())), "without --class, a row per class");

        var grid = VaeProcess.Run(["latent-grid", _directory, "--out", Path.Combine(Path.GetDirectoryName(path)!, "grid.png")]);
        Assert.That(grid.ExitCode, Is.Not.Zero);
        Assert.That(grid.Error, Does.Contain("--class N, from 0 to 9"));
    }
}
