using VulkanAE.IO;
using VulkanAE.Tests.Plots;
using VulkanAE.Training;

namespace VulkanAE.Tests.Training;

/// <summary>End to end on real MNIST (tools/setup.sh fetches it), small enough for lavapipe with validation on.</summary>
public class TrainingRunTests
{
    private static TrainingOptions SmallRun(string directory, int seed = 1) => new(
        Model: "fc-ae", Dataset: "mnist", Epochs: 3, BatchSize: 64, LearningRate: 3e-3f, Seed: seed,
        OutputDirectory: directory, Limit: 640, VulkanValidation: true);

    [Test]
    public void FcAeLearnsAndWritesItsRunDirectory()
    {
        var directory = Directory.CreateTempSubdirectory("fc-ae").FullName;
        var history = TrainingRun.Execute(SmallRun(directory), new QuietObserver());

        Assert.That(history, Has.Count.EqualTo(3));
        Assert.That(history[^1].TrainLoss, Is.LessThan(history[0].TrainLoss));
        Assert.That(history[^1].TestLoss, Is.LessThan(history[0].TestLoss));
        // Predicting 0.13 (the mean pixel) everywhere scores about 0.34 BCE on MNIST.
        Assert.That(history[^1].TestLoss, Is.LessThan(0.30));

        var csv = File.ReadAllLines(Path.Combine(directory, RunDirectory.MetricsFile));
        Assert.That(csv[0], Is.EqualTo("epoch,train_loss,test_loss,learning_rate,seconds,images_per_second"));
        Assert.That(csv, Has.Length.EqualTo(4));

        var weights = Safetensors.Read(Path.Combine(directory, RunDirectory.WeightsFile));
        Assert.That(weights.Tensor("encoder.0.weight", 128, 784).ToFloats().All(float.IsFinite), Is.True);
        Assert.That(weights.Tensors.Keys, Is.EquivalentTo(new[]
        {
            "encoder.0.weight", "encoder.0.bias", "encoder.2.weight", "encoder.2.bias",
            "decoder.0.weight", "decoder.0.bias", "decoder.2.weight", "decoder.2.bias",
        }));

        var picture = ChartFiles.Read(Path.Combine(directory, RunDirectory.ReconstructionsFile));
        Assert.That(picture.Picture.Width, Is.GreaterThan(12 * 28 * 2));
        Assert.That(picture.Picture.Height, Is.GreaterThan(2 * 28 * 2));
        Assert.That(picture.Texts, Is.SupersetOf(new[] { "input", "reconstruction" }));
        Assert.That(ChartFiles.Read(Path.Combine(directory, RunDirectory.LossCurveFile)).Texts, Is.SupersetOf(new[] { "epoch", "train", "test" }));
    }

    [Test]
    public void AVaeWithATwoDimensionalLatentDrawsItsLatentSpace()
    {
        var directory = Directory.CreateTempSubdirectory("vae-2d").FullName;
        TrainingRun.Execute(SmallRun(directory) with { Model = "fc-vae", Epochs = 1, Hidden = [32], Latent = 2, Limit = 256 }, new QuietObserver());

        Assert.That(Png.Read(Path.Combine(directory, RunDirectory.SamplesFile)).Width, Is.GreaterThan(8 * 28));
        var grid = ChartFiles.Read(Path.Combine(directory, RunDirectory.LatentGridFile));
        Assert.That(grid.Picture.Width, Is.GreaterThan(RunPictures.LatentGridSize * 28));
        Assert.That(grid.Texts, Is.SupersetOf(new[] { "z[0]", "z[1]", "0", "-2", "2" }), "axes with the z values");
        var scatter = ChartFiles.Read(Path.Combine(directory, RunDirectory.LatentScatterFile));
        Assert.That(scatter.Texts, Is.SupersetOf(Enumerable.Range(0, 10).Select(digit => digit.ToString())), "a legend entry per digit");
        Assert.That(scatter.Texts, Is.SupersetOf(new[] { "-3", "3" }), "the prior's [-3, 3] on the axes");
    }

    /// <summary>The first <paramref name="columns"/> columns of metrics.csv: the losses, without the timings.</summary>
    internal static string[] MetricColumns(string directory, int columns) => File.ReadAllLines(Path.Combine(directory, RunDirectory.MetricsFile))
        .Select(line => string.Join(",", line.Split(',')[..columns])).ToArray();

    [Test]
    public void TheSameSeedGivesTheSameNumbers()
    {
        var first = Directory.CreateTempSubdirectory("seed-a").FullName;
        var second = Directory.CreateTempSubdirectory("seed-b").FullName;
        var third = Directory.CreateTempSubdirectory("seed-c").FullName;
        TrainingRun.Execute(SmallRun(first) with { Epochs = 2 }, new QuietObserver());
        TrainingRun.Execute(SmallRun(second) with { Epochs = 2 }, new QuietObserver());
        TrainingRun.Execute(SmallRun(third, seed: 2) with { Epochs = 2 }, new QuietObserver());
        Assert.That(MetricColumns(second, 3), Is.EqualTo(MetricColumns(first, 3)));
        Assert.That(MetricColumns(third, 3), Is.Not.EqualTo(MetricColumns(first, 3)));
    }

    // With --clip-grad 1, which clips (the run differs from an unclipped one), a resumed run that lost
    // the option would not repeat the uninterrupted one.
    [TestCase(null)]
    [TestCase(1f)]
    public void AStoppedAndResumedRunRepeatsAnUninterruptedOne(float? clipGradNorm)
    {
        var whole = Directory.CreateTempSubdirectory("whole").FullName;
        var pieces = Directory.CreateTempSubdirectory("pieces").FullName;
        // A VAE, so the resumed run must also repeat the sampling noise.
        var options = SmallRun(whole) with { Model = "fc-vae", Epochs = 2, Hidden = [64], Latent = 4, ClipGradNorm = clipGradNorm };
        TrainingRun.Execute(options, new QuietObserver());

        var stopper = new QuietObserver(stopInEpoch: 2, stopAtStep: 1); // the first report of an epoch comes after one step
        TrainingRun.Execute(options with { OutputDirectory = pieces }, stopper);
        Assert.That(stopper.StoppedAt, Is.Not.Null, "the run should have stopped within epoch 2");
        Assert.That(RunDirectory.Load(pieces).Partial, Is.Not.Null);
        Assert.That(RunDirectory.Load(pieces).Options.ClipGradNorm, Is.EqualTo(clipGradNorm));
        TrainingRun.Resume(pieces, epochs: null, new QuietObserver());

        Assert.That(MetricColumns(pieces, 7), Is.EqualTo(MetricColumns(whole, 7))); // losses and VAE terms
        if (clipGradNorm is null) return;
        var unclipped = Directory.CreateTempSubdirectory("unclipped").FullName;
        TrainingRun.Execute(options with { OutputDirectory = unclipped, ClipGradNorm = null }, new QuietObserver());
        Assert.That(MetricColumns(unclipped, 7), Is.Not.EqualTo(MetricColumns(whole, 7)), "clipping changes the run");
    }

    [Test]
    public void EarlyStoppingEndsTheRunAndKeepsTheBestEpoch()
    {
        var directory = Directory.CreateTempSubdirectory("early-stop").FullName;
        // A rate too high for Adam on 256 images makes the validation loss wander soon.
        var observer = new QuietObserver();
        var history = TrainingRun.Execute(SmallRun(directory) with { Epochs = 30, Limit = 320, LearningRate = 3e-2f, ValidationSplit = 0.2, EarlyStopPatience = 2 },
            observer);

        Assert.That(history, Has.Count.LessThan(30), "the run stopped by itself");
        var losses = history.Select(m => m.ValidationLoss!.Value).ToArray();
        int best = Array.IndexOf(losses, losses.Min()) + 1;
        Assert.That(history, Has.Count.EqualTo(best + 2), "two epochs after the best");
        Assert.That(observer.Notes.Last(), Does.Contain($"at epoch {best}").And.Contain(RunDirectory.BestWeightsFile));
        var kept = Safetensors.Read(Path.Combine(directory, RunDirectory.BestWeightsFile));
        Assert.That(kept.Metadata[CheckpointMetadata.EpochKey], Is.EqualTo(best.ToString()));
        foreach (var file in new[] { RunDirectory.WeightsFile, RunDirectory.CheckpointFile })
            Assert.That(Safetensors.Read(Path.Combine(directory, file)).Metadata[RunDirectory.BestEpochKey], Is.EqualTo(best.ToString()), file);
        Assert.That(File.ReadLines(Path.Combine(directory, RunDirectory.MetricsFile)).First(), Does.StartWith("epoch,train_loss,validation_loss,test_loss,"));
        Assert.That(ChartFiles.Read(Path.Combine(directory, RunDirectory.LossCurveFile)).Texts,
            Is.SupersetOf(new[] { "train", "validation", "test", "learning rate", $"best validation (epoch {best})" }));

        TrainingRun.Resume(directory, epochs: null, observer);
        Assert.That(observer.Notes.Last(), Does.StartWith($"the run stopped early at epoch {history.Count}"), "a resume does not train past the stop");
    }

    [Test]
    public void EarlyStoppingWithoutAValidationSetIsRefused()
        => Assert.That(() => TrainingRun.Execute(SmallRun(Directory.CreateTempSubdirectory("no-split").FullName) with { EarlyStopPatience = 3 }, new QuietObserver()),
            Throws.ArgumentException.With.Message.Contain("--val-split"));

    // The schedule moves the rate every epoch; the split must hold out the same images after the resume.
    [TestCase("cosine")]
    [TestCase("step")]
    public void AResumedRunRepeatsItsScheduleAndValidationSet(string schedule)
    {
        var whole = Directory.CreateTempSubdirectory("whole").FullName;
        var pieces = Directory.CreateTempSubdirectory("pieces").FullName;
        var options = SmallRun(whole) with { ValidationSplit = 0.2, LearningRateSchedule = schedule, WarmupEpochs = 1, LearningRateStepEpochs = 1 };
        var uninterrupted = TrainingRun.Execute(options, new QuietObserver());
        Assert.That(uninterrupted.Select(m => m.LearningRate).Distinct().Count(), Is.EqualTo(3), "a rate of its own in each epoch");

        TrainingRun.Execute(options with { OutputDirectory = pieces }, new QuietObserver(stopInEpoch: 2, stopAtStep: 1));
        double trainedBeforeTheStop = RunDirectory.Load(pieces).Partial!.Seconds;
        Assert.That(trainedBeforeTheStop, Is.GreaterThan(0));
        var resumed = TrainingRun.Resume(pieces, epochs: null, new QuietObserver());

        Assert.That(MetricColumns(pieces, 5), Is.EqualTo(MetricColumns(whole, 5)), "losses, validation loss and learning rate");
        Assert.That(resumed[1].Seconds, Is.GreaterThan(trainedBeforeTheStop), "the resumed epoch's time includes the part before the stop");
    }

    [Test]
    public void ARunFromBeforeTheLearningRateColumnResumes()
    {
        var directory = Directory.CreateTempSubdirectory("old-metrics").FullName;
        TrainingRun.Execute(SmallRun(directory) with { Epochs = 1 }, new QuietObserver());
        var path = Path.Combine(directory, RunDirectory.MetricsFile);
        // metrics.csv as it was written before: no learning_rate column (the fourth of six).
        File.WriteAllLines(path, File.ReadAllLines(path).Select(line => string.Join(",", line.Split(',').Where((_, i) => i != 3))));

        TrainingRun.Resume(directory, epochs: 2, new QuietObserver());
        var rows = EpochMetrics.ReadCsv(path);
        Assert.That(rows[0].LearningRate, Is.NaN, "no rate recorded for the old epoch");
        Assert.That(rows[1].LearningRate, Is.EqualTo(3e-3).Within(1e-9), "the constant rate of the new one");
    }

    [Test]
    public void ANonFiniteLossStopsTheRunAndKeepsWhatWasSaved()
    {
        var directory = Directory.CreateTempSubdirectory("diverged").FullName;
        TrainingRun.Execute(SmallRun(directory) with { Epochs = 1 }, new QuietObserver());
        var metricsBefore = File.ReadAllText(Path.Combine(directory, RunDirectory.MetricsFile));

        // Push the output layer's bias to the edge of float (a NaN would be refused when the checkpoint
        // is read): every pixel's loss is ~3e38, and their sum overflows to infinity at the first step.
        var path = Path.Combine(directory, RunDirectory.CheckpointFile);
        var checkpoint = Safetensors.Read(path);
        var tensors = checkpoint.Tensors.ToDictionary(t => t.Key, t => t.Value);
        var bias = tensors["decoder.2.bias"].ToFloats().Select(_ => 3e38f).ToArray();
        tensors["decoder.2.bias"] = SafetensorsTensor.FromFloats(bias, tensors["decoder.2.bias"].Shape);
        Safetensors.Write(path, tensors, checkpoint.Metadata);

        var error = Assert.Throws<TrainingDivergedException>(() => TrainingRun.Resume(directory, epochs: 2, new QuietObserver()))!;
        Assert.That(error.Message, Does.Contain("epoch 2").And.Contain("--lr"));
        Assert.That(error.Message, Does.Contain("Infinity").Or.Contain("NaN"));
        Assert.That(File.ReadAllText(Path.Combine(directory, RunDirectory.MetricsFile)), Is.EqualTo(metricsBefore));
        Assert.That(File.Exists(Path.Combine(directory, RunDirectory.WeightsFile)), Is.True);
    }

    [Test]
    public void ARunStreamedUnderASmallDeviceBudgetGivesTheResidentRunsMetrics()
    {
        // 2000 MNIST images (1.5 MiB) under --device-dataset-mb 1: chunks of 640 images, the last of 80.
        var options = SmallRun("") with { Epochs = 2, Limit = 2000, Hidden = [32] };
        var resident = TrainingRun.Execute(options with { OutputDirectory = Directory.CreateTempSubdirectory("resident").FullName }, new QuietObserver());
        var observer = new QuietObserver();
        var streamed = TrainingRun.Execute(options with { OutputDirectory = Directory.CreateTempSubdirectory("streamed").FullName, DeviceDatasetMegabytes = 1 },
            observer);
        Assert.That(observer.Notes, Has.One.Contains("streaming"));
        Assert.That(streamed.Select(m => (m.TrainLoss, m.TestLoss)), Is.EqualTo(resident.Select(m => (m.TrainLoss, m.TestLoss))));
    }

    [Test]
    public void AnImageFolderIsDecodedWithProgressOnTheFirstRunOnly()
    {
        var root = Directory.CreateTempSubdirectory("decode-progress").FullName;
        var folder = Path.Combine(root, "digits");
        Directory.CreateDirectory(folder);
        for (int i = 0; i < 6; i++) Png.Write(Path.Combine(folder, $"{i}.png"), new RasterImage(28, 28, 1, Enumerable.Repeat((byte)(40 * i), 28 * 28).ToArray()));
        var options = SmallRun("") with { Dataset = folder, DatasetCache = Path.Combine(root, "cache"), BatchSize = 2, Epochs = 1, Limit = null };
        var first = new QuietObserver();
        TrainingRun.Execute(options with { OutputDirectory = Path.Combine(root, "first") }, first);
        var second = new QuietObserver();
        TrainingRun.Execute(options with { OutputDirectory = Path.Combine(root, "second") }, second);
        Assert.That(first.Decodes, Is.EqualTo(new[] { (6, 6) }), "one bar, filled image by image");
        Assert.That(second.Decodes, Is.Empty, "mapped from the cache");
    }
}
