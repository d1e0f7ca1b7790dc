using System.Globalization;
using VulkanAE.Data;
using VulkanAE.Kernels.Noise;
using VulkanAE.Kernels.Training;
using VulkanAE.Tests.Plots;
using VulkanAE.Training;

namespace VulkanAE.Tests.Training;

/// <summary>`vae anomaly --score logit` end to end: a small CutPaste classifier trained on normal faces, scored on normal and planted anomalies.</summary>
public class CutPasteDetectionTests
{
    private string _faces = null!, _run = null!, _otherSeed = null!;

    [OneTimeSetUp]
    public void TrainOnNormalFaces()
    {
        _faces = Directory.CreateTempSubdirectory("synthetic-faces").FullName;
        SyntheticFaceFolder.Write(_faces, new SyntheticFaceCounts(Train: 64, TestNormal: 12, PerKind: 6, Seed: 3), [FaceAnomaly.Noise, FaceAnomaly.NoMouth]);
        _run = Directory.CreateTempSubdirectory("face-cutpaste").FullName;
        var options = new TrainingOptions(Model: "face-cutpaste", Hidden: [8, 16, 16], Dataset: Path.Combine(_faces, SyntheticFaceFolder.TrainFolder),
            Epochs: 4, BatchSize: 8, LearningRate: 3e-3f, OutputDirectory: _run, VulkanValidation: true, Align: TrainingOptions.ForegroundAlign);
        TrainingRun.Execute(options, new QuietObserver());
        _otherSeed = Directory.CreateTempSubdirectory("face-cutpaste-seed2").FullName;
        TrainingRun.Execute(options with { Seed = 2, OutputDirectory = _otherSeed }, new QuietObserver());
    }

    [Test]
    public void AStoppedAndResumedRunDrawsThePatchesOfAnUninterruptedOne()
    {
        var whole = Directory.CreateTempSubdirectory("whole").FullName;
        var pieces = Directory.CreateTempSubdirectory("pieces").FullName;
        var options = new TrainingOptions(Model: "face-cutpaste", Hidden: [4, 4], Dataset: Path.Combine(_faces, SyntheticFaceFolder.TrainFolder), Epochs: 2,
            BatchSize: 8, LearningRate: 3e-3f, OutputDirectory: whole, VulkanValidation: true);
        TrainingRun.Execute(options, new QuietObserver());
        var stopper = new QuietObserver(stopInEpoch: 2, stopAtStep: 1);
        TrainingRun.Execute(options with { OutputDirectory = pieces }, stopper);
        Assert.That(stopper.StoppedAt, Is.Not.Null, "the run should have stopped within epoch 2");
        TrainingRun.Resume(pieces, epochs: null, new QuietObserver());

        // epoch, train loss, test loss, learning rate: everything but the times.
        string[] Losses(string run) => File.ReadAllLines(Path.Combine(run, RunDirectory.MetricsFile)).Select(line => string.Join(",", line.Split(',')[..4])).ToArray();
        Assert.That(Losses(pieces), Is.EqualTo(Losses(whole)));
        Assert.That(Losses(whole), Has.Length.EqualTo(3));
    }

    [TestCase("logit")]
    [TestCase("density")]
    public void ScoresEveryImageByItsLogitOrItsFeaturesDensity(string score)
    {
        var kind = ScoreRecipe.ParseKind(score);
        var output = Directory.CreateTempSubdirectory("anomaly").FullName;
        var report = AnomalyDetection.Run([_run], Path.Combine(_faces, SyntheticFaceFolder.TestFolder), output, device: null,
            new AnomalyOptions(new ScoreRecipe(kind, ScoreRecipe.DefaultPooling(kind)), 0.1));

        Assert.That(report.Ranked, Has.Count.EqualTo(12 + 2 * 6));
        Assert.That(report.Kinds.Select(k => (k.Kind, k.Count)), Is.EqualTo(new[] { ("all", 12), ("no-mouth", 6), ("noise", 6) }));
        TestContext.Out.WriteLine(string.Join(", ", report.Kinds.Select(k => $"{k.Kind} {k.RocAuc:F3}")));
        Assert.That(report.Kinds.Single(k => k.Kind == "noise").RocAuc, Is.GreaterThan(0.75), "noise against normal faces");
        Assert.That(File.ReadAllLines(Path.Combine(output, AnomalyDetection.TableFile)), Has.Length.EqualTo(1 + 24));
        Assert.That(File.Exists(Path.Combine(output, AnomalyDetection.KindsFile)) && File.Exists(Path.Combine(output, AnomalyDetection.RocFile)));
        var extremes = ChartFiles.Read(Path.Combine(output, AnomalyDetection.GridFile));
        Assert.That(extremes.Texts, Is.SupersetOf(new[] { "input", "saliency", report.Ranked[0].Path, report.Ranked[0].Score.ToString("G4", CultureInfo.InvariantCulture) }));
        Assert.That(extremes.Texts, Has.None.EqualTo("output"), "a classifier has no reconstruction to show");
        Assert.That(extremes.Texts, Has.Some.Contains("map: the size of the logit's gradient at each pixel"));
    }

    [TestCase("logit")]
    [TestCase("density")]
    public void SeveralRunsScoreEachImageByTheMeanOfTheirScores(string score)
    {
        var kind = ScoreRecipe.ParseKind(score);
        var options = new AnomalyOptions(new ScoreRecipe(kind, ScoreRecipe.DefaultPooling(kind)), 0.1);
        string folder = Path.Combine(_faces, SyntheticFaceFolder.TestFolder), output = Directory.CreateTempSubdirectory("ensemble").FullName;
        List<string> notes = [];
        Dictionary<string, double> Scores(AnomalyReport report) => report.Ranked.ToDictionary(s => s.Path, s => s.Score);
        var first = Scores(AnomalyDetection.Run([_run], folder, Directory.CreateTempSubdirectory("anomaly").FullName, device: null, options));
        var second = Scores(AnomalyDetection.Run([_otherSeed], folder, Directory.CreateTempSubdirectory("anomaly").FullName, device: null, options));
        var ensemble = AnomalyDetection.Run([_run, _otherSeed], folder, output, device: null, options, note: notes.Add);

        Assert.That(first.Keys.Count(path => first[path] != second[path]), Is.GreaterThan(first.Count / 2), "two seeds, two different models");
        foreach (var image in ensemble.Ranked)
            Assert.That(image.Score, Is.EqualTo((first[image.Path] + second[image.Path]) / 2).Within(1e-5).Percent, image.Path);
        Assert.That(ensemble.Ranked.Select(s => s.Score), Is.Ordered.Descending);
        Assert.That(notes.Count(n => n.Contains("on its own")), Is.EqualTo(2), "each run's own ROC AUC, beside the ensemble's");
        Assert.That(ChartFiles.Read(Path.Combine(output, AnomalyDetection.GridFile)).Texts, Has.Some.Contains("the mean of 2 runs"));
    }

    [Test]
    public void AnEnsembleRefusesARunNamedTwiceOrOneThatSeesTheImagesOtherwise()
    {
        string folder = Path.Combine(_faces, SyntheticFaceFolder.TestFolder), output = Directory.CreateTempSubdirectory("ensemble").FullName;
        var error = Assert.Throws<UserInputException>(() => AnomalyDetection.Run([_run, _run + "/"], folder, output, device: null));
        Assert.That(error!.Message, Does.Contain("named twice"));

        var unaligned = Directory.CreateTempSubdirectory("face-cutpaste-unaligned").FullName;
        TrainingRun.Execute(new TrainingOptions(Model: "face-cutpaste", Hidden: [8, 16, 16], Dataset: Path.Combine(_faces, SyntheticFaceFolder.TrainFolder),
            Epochs: 1, BatchSize: 8, OutputDirectory: unaligned, VulkanValidation: true), new QuietObserver());
        error = Assert.Throws<UserInputException>(() => AnomalyDetection.Run([_run, unaligned], folder, output, device: null,
            new AnomalyOptions(new ScoreRecipe(AnomalyScoreKind.Logit))));
        Assert.That(error!.Message, Does.StartWith($"--run {unaligned}:").And.Contain("aligned on their foreground").And.Contain("other seeds"));
    }

    [Test]
    public void TheLogitIsTheClassifiersOutputForThatImageBeforeItsSigmoid()
    {
        using var trained = TrainedRun.Open(_run, device: null);
        var model = trained.Model;
        using var data = new DeviceDataset(trained.Gpu, trained.LoadTestSet());
        var (images, logits, _) = trained.Inference.Classify(data);
        Assert.That(logits, Has.Length.EqualTo(data.Count));
        Assert.That(logits.Distinct().Count(), Is.GreaterThan(data.Count / 2), "one logit per image, not a constant");

        // The model's probability that each image was pasted, from a forward pass of its own on the images Classify gave back.
        int rows = Math.Min(data.Count, model.MaxRows);
        using var input = trained.Gpu.CreateTensor("images", images.AsSpan(0, rows * model.Features).ToArray());
        using var state = new TrainingState(trained.Gpu);
        trained.Gpu.Run(r => model.RecordForward(r, input, rows, state.Tensor, NoiseStream.Inference));
        var probabilities = model.Reconstruction.ToArray();
        for (int i = 0; i < rows; i++)
            Assert.That(probabilities[i], Is.EqualTo(1 / (1 + Math.Exp(-logits[i]))).Within(1e-6), $"image {i}");
    }

    [Test]
    public void TheMapIsTheSizeOfTheLogitsGradientAtEachPixel()
    {
        using var trained = TrainedRun.Open(_run, device: null);
        var model = trained.Model;
        var shape = model.Spec.InputShape;
        using var data = new DeviceDataset(trained.Gpu, trained.LoadTestSet());
        var (images, _, maps) = trained.Inference.Classify(data);
        int pixels = shape.Height * shape.Width;
        Assert.That(maps, Has.Length.EqualTo(data.Count * pixels));

        // Central differences of the first image's logit at its three most salient pixels, channel by channel.
        using var input = trained.Gpu.CreateTensor("image", model.Features);
        using var state = new TrainingState(trained.Gpu);
        double Logit(float[] image)
        {
            input.Upload<float>(image);
            trained.Gpu.Run(r => model.RecordForward(r, input, 1, state.Tensor, NoiseStream.Inference, reconstruction: false));
            return model.Decoder.Output.ToArray()[0];
        }
        var first = images[..model.Features];
        const float step = 1e-2f;
        foreach (int p in Enumerable.Range(0, pixels).OrderByDescending(p => maps[p]).Take(3))
        {
            double squares = 0;
            for (int c = 0; c < shape.Channels; c++)
            {
                var plus = (float[])first.Clone();
                var minus = (float[])first.Clone();
                plus[c * pixels + p] += step;
                minus[c * pixels + p] -= step;
                double gradient = (Logit(plus) - Logit(minus)) / (2 * step);
                squares += gradient * gradient;
            }
            Assert.That(maps[p], Is.EqualTo(Math.Sqrt(squares / shape.Channels)).Within(5).Percent, $"pixel {p}");
        }
    }

    [Test]
    public void ScoresOtherThanTheLogitAndCommandsThatNeedImagesBackRefuseTheRun()
    {
        Assert.That(AnomalyDetection.DefaultScore(_run), Is.EqualTo(AnomalyScoreKind.Logit), "what `vae anomaly` scores with when --score is not given");
        var error = Assert.Throws<UserInputException>(() => AnomalyDetection.Run([_run], Path.Combine(_faces, SyntheticFaceFolder.TestFolder),
            Directory.CreateTempSubdirectory("anomaly").FullName, device: null, new AnomalyOptions(new ScoreRecipe(AnomalyScoreKind.Mse))));
        Assert.That(error!.Message, Does.Contain("--score logit").And.Contain("density").And.Contain("face-cutpaste"));
        using var trained = TrainedRun.Open(_run, device: null);
        error = Assert.Throws<UserInputException>(() => trained.RequireReconstruction("vae view"));
        Assert.That(error!.Message, Does.StartWith("vae view: ").And.Contain("vae anomaly"));
        Assert.Throws<ArgumentException>(() => VulkanAE.Export.OnnxExport.Write(trained.Model, Directory.CreateTempSubdirectory("onnx").FullName));
    }
}
