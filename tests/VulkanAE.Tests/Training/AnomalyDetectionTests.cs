using System.Globalization;
using VulkanAE.Data;
using VulkanAE.IO;
using VulkanAE.Tests.Plots;
using VulkanAE.Training;

namespace VulkanAE.Tests.Training;

/// <summary>`vae anomaly` end to end on a small synthetic face folder: trained on normal faces, scored on normal and planted anomalies.</summary>
public class AnomalyDetectionTests
{
    private string _faces = null!, _run = null!;

    [OneTimeSetUp]
    public void TrainOnNormalFaces()
    {
        _faces = Directory.CreateTempSubdirectory("synthetic-faces").FullName;
        // Two kinds: noise, which any reconstruction error finds, and a missing mouth, which few pixels show.
        SyntheticFaceFolder.Write(_faces, new SyntheticFaceCounts(Train: 64, TestNormal: 12, PerKind: 6, Seed: 3), [FaceAnomaly.Noise, FaceAnomaly.NoMouth]);
        _run = Directory.CreateTempSubdirectory("face-conv-dense-ae").FullName;
        TrainingRun.Execute(new TrainingOptions(Model: "face-conv-dense-ae", Dataset: Path.Combine(_faces, SyntheticFaceFolder.TrainFolder), Epochs: 4,
            BatchSize: 8, LearningRate: 3e-3f, OutputDirectory: _run, VulkanValidation: true), new QuietObserver());
    }

    [TestCase("mse", "mean")]
    [TestCase("ssim", "mean")]
    [TestCase("gradient", "mean")]
    [TestCase("mse", "max-local")]
    [TestCase("gradient", "max-local")]
    [TestCase("gradient", "top")]
    [TestCase("density", "max")]
    public void ScoresEveryImageAndReportsEachKind(string kind, string pooling)
    {
        var score = new ScoreRecipe(ScoreRecipe.ParseKind(kind), ScoreRecipe.ParsePooling(pooling));
        var output = Directory.CreateTempSubdirectory("anomaly").FullName;
        var report = AnomalyDetection.Run([_run], Path.Combine(_faces, SyntheticFaceFolder.TestFolder), output, device: null, new AnomalyOptions(score, 0.1));

        Assert.That(report.Ranked, Has.Count.EqualTo(12 + 2 * 6));
        Assert.That(report.Kinds.Select(k => (k.Kind, k.Count)), Is.EqualTo(new[] { ("all", 12), ("no-mouth", 6), ("noise", 6) }));
        // Noise is planted far outside every training face: after 32 steps every score puts it well above chance (0.5);
        // max-local over 15x15 windows least (0.85 here), as the untrained model's worst window is already bad. Density is
        // fitted on the run's 64 training faces.
        Assert.That(report.Kinds.Single(k => k.Kind == "noise").RocAuc, Is.GreaterThan(0.75), $"{score}: noise against normal faces");
        var point = report.Operating!;
        Assert.That(point.FalsePositiveRate, Is.LessThanOrEqualTo(0.1));
        int normalFlagged = report.Ranked.Count(s => s.Anomalous == false && s.Score >= point.Threshold);
        Assert.That(normalFlagged / 12.0, Is.EqualTo(point.FalsePositiveRate).Within(1e-12));
        Assert.That(report.Ranked.Count(s => s.Anomalous == true && s.Score >= point.Threshold) / 12.0, Is.EqualTo(point.Recall).Within(1e-12));

        var table = File.ReadAllLines(Path.Combine(output, AnomalyDetection.TableFile));
        Assert.That(table[0], Is.EqualTo("rank,path,score,label,kind,flagged"));
        Assert.That(table, Has.Length.EqualTo(1 + 24));
        Assert.That(table.Skip(1).Count(line => line.EndsWith(",yes")), Is.EqualTo(report.Ranked.Count(s => s.Score >= point.Threshold)));
        Assert.That(table.Skip(1).Where(line => line.Contains("anomalous/noise/")), Has.All.Contains(",anomalous,noise,"));
        var kinds = File.ReadAllLines(Path.Combine(output, AnomalyDetection.KindsFile));
        Assert.That(kinds.Select(line => line.Split(',')[0]), Is.EqualTo(new[] { "kind", "all", "no-mouth", "noise" }));

        var extremes = ChartFiles.Read(Path.Combine(output, AnomalyDetection.GridFile));
        Assert.That(extremes.Texts, Is.SupersetOf(new[] { "input", "output", "error", report.Ranked[0].Path,
            report.Ranked[0].Score.ToString("G4", CultureInfo.InvariantCulture) }));
        var roc = ChartFiles.Read(Path.Combine(output, AnomalyDetection.RocFile));
        Assert.That(roc.Texts, Has.Some.StartsWith(string.Create(CultureInfo.InvariantCulture, $"threshold {point.Threshold:G4}: ")));
    }

    [Test]
    public void AnAutoencodersDefaultScoreIsTheSquaredErrorAndItRefusesTheLogit()
    {
        Assert.That(AnomalyDetection.DefaultScore(_run), Is.EqualTo(AnomalyScoreKind.Mse));
        var error = Assert.Throws<UserInputException>(() => AnomalyDetection.Run([_run], Path.Combine(_faces, SyntheticFaceFolder.TestFolder),
            Directory.CreateTempSubdirectory("anomaly").FullName, device: null, new AnomalyOptions(new ScoreRecipe(AnomalyScoreKind.Logit))));
        Assert.That(error!.Message, Does.Contain("--score logit").And.Contain("face-conv-dense-ae"));
    }

    [Test]
    public void DensityIsFittedOnTheNormalFolderWhenOneIsGiven()
    {
        // Fitted on the noisy faces instead of the training set, noise is what is normal and the faces are unusual.
        var output = Directory.CreateTempSubdirectory("anomaly").FullName;
        var options = new AnomalyOptions(new ScoreRecipe(AnomalyScoreKind.Density, ErrorPooling.Max), 0.1,
            NormalFolder: Path.Combine(_faces, SyntheticFaceFolder.TestFolder, "anomalous", "noise"));
        var report = AnomalyDetection.Run([_run], Path.Combine(_faces, SyntheticFaceFolder.TestFolder), output, device: null, options);
        Assert.That(report.Kinds.Single(k => k.Kind == "noise").RocAuc, Is.LessThan(0.25));
    }

    [Test]
    public void ARunTrainedAlignedScoresAndFitsOnFoldersAlignedTheSameWay()
    {
        // The same weights with `align: foreground` in run.yaml score the test folder as the plain run scores a copy of it aligned
        // beforehand (PNG is lossless), and density fits on its --normal folder aligned too.
        var aligned = Directory.CreateTempSubdirectory("aligned-run").FullName;
        foreach (var file in Directory.GetFiles(_run)) File.Copy(file, Path.Combine(aligned, Path.GetFileName(file)));
        File.AppendAllText(Path.Combine(aligned, RunDirectory.DescriptionFile), "align: foreground\n");
        var test = Path.Combine(_faces, SyntheticFaceFolder.TestFolder);
        var alignedCopy = Directory.CreateTempSubdirectory("aligned-faces").FullName;
        foreach (var path in Directory.GetFiles(test, "*.png", SearchOption.AllDirectories))
        {
            var target = Path.Combine(alignedCopy, Path.GetRelativePath(test, path));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            Png.Write(target, ForegroundAlignment.Align(Png.Decode(File.ReadAllBytes(path), 3)));
        }
        string normal = Path.Combine("anomalous", "noise");
        AnomalyReport Score(string run, string folder, AnomalyScoreKind kind) => AnomalyDetection.Run([run], folder,
            Directory.CreateTempSubdirectory("anomaly").FullName, device: null, new AnomalyOptions(new ScoreRecipe(kind, ErrorPooling.Max), 0.1,
                NormalFolder: kind == AnomalyScoreKind.Density ? Path.Combine(folder, normal) : null));

        foreach (var kind in new[] { AnomalyScoreKind.Mse, AnomalyScoreKind.Density })
        {
            var expected = Score(_run, alignedCopy, kind).Ranked.Select(s => (s.Path, s.Score));
            var ranked = Score(aligned, test, kind).Ranked.Select(s => (s.Path, s.Score));
            Assert.That(ranked, Is.EqualTo(expected), kind.ToString());
            Assert.That(Score(_run, test, kind).Ranked.Select(s => (s.Path, s.Score)), Is.Not.EqualTo(expected), $"{kind}: alignment changes the scores");
        }
    }
}
