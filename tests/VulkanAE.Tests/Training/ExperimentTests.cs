using VulkanAE.IO;
using VulkanAE.Tests.Plots;
using VulkanAE.Training;

namespace VulkanAE.Tests.Training;

/// <summary>The reference write-ups' experiments end to end on a few hundred images: the loss falls and the outputs are valid files.</summary>
public class ExperimentTests
{
    private static string TempDirectory(string name) => Directory.CreateTempSubdirectory(name).FullName;

    [Test]
    public void TanhAutoencoderWritesItsPixelTable()
    {
        var directory = TempDirectory("fc-ae-48");
        var history = TrainingRun.Execute(new TrainingOptions(Model: "fc-ae-48", Epochs: 3, BatchSize: 50, Limit: 500,
            OutputDirectory: directory, VulkanValidation: true), new QuietObserver());
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
        var template = new TrainingOptions(Dataset: "fashion-mnist", Epochs: 2, BatchSize: 32, Limit: 320, VulkanValidation: true);
        var runs = Comparison.Execute(template, ["fc-ae"], [0f, 0.3f], directory, new QuietObserver());

        Assert.That(runs.Select(r => r.Label), Is.EqualTo(new[] { "fc-ae", "fc-ae noise 0.3" }));
        foreach (var run in runs) Assert.That(run.History[^1].TestLoss, Is.LessThan(run.History[0].TestLoss), run.Label);
        Assert.That(File.ReadAllLines(Path.Combine(directory, Comparison.TableFile)), Has.Length.EqualTo(1 + 2 * 2));
        var chart = ChartFiles.Read(Path.Combine(directory, Comparison.ChartFile));
        Assert.That(chart.Picture.Width, Is.GreaterThan(500));
        Assert.That(chart.Texts, Is.SupersetOf(new[] { "fc-ae train", "fc-ae test", "fc-ae noise 0.3 train", "fc-ae noise 0.3 test" }));
        var grid = ChartFiles.Read(Path.Combine(directory, Comparison.DenoisingFile));
        Assert.That(grid.Picture.Width, Is.GreaterThan(grid.Picture.Height)); // 8 columns of noisy / output / clean
        Assert.That(grid.Texts, Is.SupersetOf(new[] { "fc-ae noise 0.3: noisy input", "reconstruction", "clean target" }));
    }

    [Test]
    public void DenseAndConvolutionalModelsCompareOnFashionMnist()
    {
        var directory = TempDirectory("dense-vs-conv");
        var template = new TrainingOptions(Dataset: "fashion-mnist", Epochs: 2, BatchSize: 32, Limit: 256, VulkanValidation: true);
        var runs = Comparison.Execute(template, ["fc-ae", "conv-ae"], [0f], directory, new QuietObserver());
        Assert.That(runs.Select(r => r.Label), Is.EqualTo(new[] { "fc-ae", "conv-ae" }));
        foreach (var run in runs) Assert.That(run.History[^1].TrainLoss, Is.LessThan(run.History[0].TrainLoss), run.Label);
        Assert.That(File.Exists(Path.Combine(directory, Comparison.DenoisingFile)), Is.False);
        Assert.That(Png.Read(Path.Combine(directory, Comparison.ChartFile)).Height, Is.GreaterThan(100));
    }

    [Test]
    public void LinearAutoencoderIsComparedWithPca()
    {
        var directory = TempDirectory("linear-ae");
        TrainingRun.Execute(new TrainingOptions(Model: "linear-ae", Latent: 8, Epochs: 4, BatchSize: 50, LearningRate: 5e-3f, Limit: 1000,
            OutputDirectory: directory), new QuietObserver());
        var result = PcaExperiment.Run(directory, device: null);

        Assert.That(result.PrincipalAnglesDegrees, Has.Length.EqualTo(8));
        Assert.That(result.PrincipalAnglesDegrees, Is.All.InRange(0.0, 90.0));
        Assert.That(result.ExplainedVariance, Is.InRange(0.2, 1.0));
        // PCA is the best rank-k linear reconstruction: the autoencoder can only approach it.
        Assert.That(result.PcaTestMse, Is.LessThan(result.AutoencoderTestMse * 1.02));
        Assert.That(File.ReadAllText(Path.Combine(directory, PcaExperiment.ReportFile)), Does.Contain("principal angles"));
        var picture = ChartFiles.Read(Path.Combine(directory, PcaExperiment.PictureFile));
        Assert.That(picture.Picture.Height, Is.GreaterThan(3 * 28));
        Assert.That(picture.Texts, Is.SupersetOf(new[] { "test image", "linear autoencoder", "PCA, top 8" }));
        Assert.That(ChartFiles.Read(Path.Combine(directory, PcaExperiment.SpectrumFile)).Texts, Is.SupersetOf(new[] { "principal component", "each component", "cumulative" }));
    }

    [Test]
    public void FaceModelsTrainOnAnImageFolderAndScoreAnomalies()
    {
        var random = new Random(3);
        var normal = TempDirectory("faces");
        for (int i = 0; i < 24; i++) Png.Write(Path.Combine(normal, $"face_{i:D2}.png"), SmoothImage(random, 64));
        var labelled = TempDirectory("labelled");
        Directory.CreateDirectory(Path.Combine(labelled, "normal"));
        Directory.CreateDirectory(Path.Combine(labelled, "anomalous"));
        for (int i = 0; i < 8; i++)
        {
            Png.Write(Path.Combine(labelled, "normal", $"n{i}.png"), SmoothImage(random, 80)); // another size: resized on loading, as asked
            Png.Write(Path.Combine(labelled, "anomalous", $"a{i}.png"), NoiseImage(random, 64));
        }

        foreach (var model in new[] { "face-conv-ae", "face-fcn-ae" })
        {
            var run = TempDirectory(model);
            var history = TrainingRun.Execute(new TrainingOptions(Model: model, Dataset: normal, Epochs: 3, BatchSize: 7,
                OutputDirectory: run, VulkanValidation: true, DatasetCache: TempDirectory("dataset-cache")), new QuietObserver());
            Assert.That(history[^1].TrainLoss, Is.LessThan(history[0].TrainLoss), model);
            var reconstructions = Png.Decode(File.ReadAllBytes(Path.Combine(run, RunDirectory.ReconstructionsFile)), desiredChannels: 3).Pixels.Chunk(3);
            Assert.That(reconstructions.Any(rgb => rgb[0] != rgb[1] || rgb[1] != rgb[2]), Is.True, $"{model}: RGB images shown in colour");

            var report = AnomalyDetection.Run([run], labelled, run, device: null, resize: true);
            Assert.That(report.Ranked, Has.Count.EqualTo(16), model);
            Assert.That(report.RocAuc, Is.GreaterThan(0.9), $"{model}: noise images should reconstruct worse than smooth ones");
            var table = File.ReadAllLines(Path.Combine(run, AnomalyDetection.TableFile));
            Assert.That(table[0], Is.EqualTo("rank,path,score,label,kind,flagged"));
            Assert.That(table[1], Does.Contain("anomalous/"));
            var extremes = ChartFiles.Read(Path.Combine(run, AnomalyDetection.GridFile));
            Assert.That(extremes.Picture.Width, Is.GreaterThan(2 * 2 * 64), "two tables of an image and its reconstruction");
            // Each shown image is named by its path and its score (the least anomalous of 16 is among the 8 shown).
            Assert.That(extremes.Texts, Is.SupersetOf(new[] { "Most anomalous", "Least anomalous", report.Ranked[0].Path, report.Ranked[^1].Path }));
            Assert.That(extremes.Texts, Does.Contain(report.Ranked[0].Score.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(ChartFiles.Read(Path.Combine(run, AnomalyDetection.RocFile)).Texts, Has.Some.StartsWith("ROC of the reconstruction error (AUC "));
        }
    }

    /// <summary>A smooth colour gradient: what the face models learn to reconstruct.</summary>
    private static RasterImage SmoothImage(Random random, int size)
    {
        var pixels = new byte[size * size * 3];
        var (r, g, b) = (random.Next(40, 200), random.Next(40, 200), random.Next(40, 200));
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                int i = (y * size + x) * 3;
                pixels[i] = (byte)(r + 40 * x / size);
                pixels[i + 1] = (byte)(g + 40 * y / size);
                pixels[i + 2] = (byte)b;
            }
        return new RasterImage(size, size, 3, pixels);
    }

    /// <summary>Uniform noise: nothing like the training images.</summary>
    private static RasterImage NoiseImage(Random random, int size)
    {
        var pixels = new byte[size * size * 3];
        random.NextBytes(pixels);
        return new RasterImage(size, size, 3, pixels);
    }
}
