using System.Globalization;
using VulkanAE.Core;
using VulkanAE.Data;
using VulkanAE.Evaluation;
using VulkanAE.IO;
using VulkanAE.Tests.Training;
using VulkanAE.Training;

namespace VulkanAE.Tests.Evaluation;

/// <summary>`vae evaluate` on tiny runs trained on real MNIST, with the validation layer on.</summary>
public class EvaluationTests
{
    private string _ae = null!;
    private string _vae = null!;

    [OneTimeSetUp]
    public void TrainTinyRuns()
    {
        _ae = Directory.CreateTempSubdirectory("eval-ae").FullName;
        TrainingRun.Execute(new TrainingOptions(Epochs: 1, BatchSize: 32, Limit: 160, OutputDirectory: _ae, VulkanValidation: true), new QuietObserver());
        _vae = Directory.CreateTempSubdirectory("eval-vae").FullName;
        TrainingRun.Execute(new TrainingOptions(Model: "fc-vae", Hidden: [64], Latent: 4, Epochs: 2, BatchSize: 32, LearningRate: 3e-3f, Limit: 320,
            OutputDirectory: _vae, VulkanValidation: true), new QuietObserver());
    }

    private static TrainedRun Open(string run, int maxRows = TrainedRun.InferenceRows, int? seed = null)
        => TrainedRun.Open(run, new GpuOptions(Validation: true), maxRows: maxRows, seed: seed);

    private static Dictionary<string, double> ReadSummary(string path)
    {
        var lines = File.ReadAllLines(path);
        Assert.That(lines, Has.Length.EqualTo(2), "a header and one row");
        return lines[0].Split(',').Zip(lines[1].Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture))).ToDictionary(p => p.First, p => p.Second);
    }

    [Test]
    public void AnAutoencodersTestLossIsTheOneTrainingMeasured()
    {
        using var trained = Open(_ae);
        var summary = ModelEvaluation.Run(trained, new EvaluationRequest(Limit: 160));
        var trainingSaw = EpochMetrics.ReadCsv(Path.Combine(_ae, RunDirectory.MetricsFile))[^1].TestLoss;
        var figures = ReadSummary(Path.Combine(_ae, ModelEvaluation.SummaryFile));
        Assert.That(figures.Keys, Is.EqualTo(new[] { "images", "test_loss" }), "an AE's columns, named as in metrics.csv");
        Assert.That(figures["images"], Is.EqualTo(160));
        // No sampling: the same sums, only summed in another order (per image in double here, on the device there).
        Assert.That(figures["test_loss"], Is.EqualTo(trainingSaw).Within(1e-5).Percent);
        Assert.That(summary.Figures.Single(f => f.Column == "test_loss").Value, Is.EqualTo(figures["test_loss"]).Within(1e-6).Percent, "written with 9 digits");
    }

    [Test]
    public void PerClassRowsCoverTheTestSetAndAverageToTheWhole()
    {
        using var trained = Open(_vae);
        ModelEvaluation.Run(trained, new EvaluationRequest(Limit: 300));
        var whole = ReadSummary(Path.Combine(_vae, ModelEvaluation.SummaryFile));
        Assert.That(whole.Keys, Is.EqualTo(new[] { "images", "test_loss", "test_recon", "test_kl" }));
        Assert.That(whole["test_loss"], Is.EqualTo(whole["test_recon"] + whole["test_kl"]).Within(1e-6).Percent);
        var lines = File.ReadAllLines(Path.Combine(_vae, ModelEvaluation.PerClassFile));
        Assert.That(lines[0], Is.EqualTo("class,images,test_loss,test_recon,test_kl"));
        var rows = lines.Skip(1).Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        Assert.That(rows.Select(r => r[0]), Is.EqualTo(Enumerable.Range(0, 10).Select(c => (double)c)), "the ten digits (300 images hold every one)");
        Assert.That(rows.Sum(r => r[1]), Is.EqualTo(300));
        Assert.That(rows.Sum(r => r[1] * r[2]) / 300, Is.EqualTo(whole["test_loss"]).Within(1e-6).Percent);
        Assert.That(rows.Select(r => r[2]).Distinct().Count(), Is.GreaterThan(1), "classes differ");
    }

    [Test]
    public void AFoldersPerClassRowsAreNamedBySubFolder()
    {
        var folder = Directory.CreateTempSubdirectory("classes").FullName;
        var random = new Random(5);
        string[] classes = ["cats", "dogs", "with,comma"];
        foreach (string name in classes)
        {
            Directory.CreateDirectory(Path.Combine(folder, name));
            for (int i = 0; i < 20; i++)
                Png.Write(Path.Combine(folder, name, $"{i}.png"), Enumerable.Range(0, 28 * 28).Select(_ => (byte)random.Next(256)).ToArray(), 28, 28, 1);
        }
        using var trained = Open(_ae);
        ModelEvaluation.Run(trained, new EvaluationRequest(Dataset: folder, OutputDirectory: folder));
        var rows = File.ReadAllLines(Path.Combine(folder, ModelEvaluation.PerClassFile)).Skip(1).ToArray();
        Assert.That(rows.Select(r => r[..r.LastIndexOf(',', r.LastIndexOf(',') - 1)]),
            Is.EqualTo(new[] { "cats", "dogs", "\"with,comma\"" }), "the sub-folders' names, a comma quoted as CSV asks");
    }

    [Test]
    public void ImportanceSamplingStartsAtTheElboAndRisesWithK()
    {
        var request = new EvaluationRequest(Limit: 200);
        double elbo;
        using (var trained = Open(_vae))
            elbo = ModelEvaluation.Run(trained, request).Figures.Single(f => f.Column == "test_loss").Value;
        double Nll(int k, int seed)
        {
            using var trained = Open(_vae, maxRows: 64, seed: seed);
            return ModelEvaluation.Run(trained, request with { ImportanceSamples = k }).Figures.Single(f => f.Column == "test_nll_iw").Value;
        }

        // -L_1 is the test loss in expectation: both sample one z per image; their noise over 200
        // images is a few tenths of a nat on this model (the spread over seeds says so).
        var single = new[] { Nll(1, 1), Nll(1, 2), Nll(1, 3) };
        Assert.That(single.Distinct().Count(), Is.EqualTo(3), "each seed draws its own samples");
        Assert.That(single.Average(), Is.EqualTo(elbo).Within(3 * Spread(single) + 0.5), "-L_1 against the test loss");
        Assert.That(Nll(1, 2), Is.EqualTo(single[1]), "the same seed gives the same estimate, bit for bit");

        // K = 100 spans two chunks of 64 rows per image; K = 10 puts six images in a chunk.
        double k10 = Nll(10, 1), k100 = Nll(100, 1);
        Assert.That(k10, Is.LessThan(single.Min()), "-L_10 below -L_1");
        Assert.That(k100, Is.LessThan(k10), "-L_100 below -L_10");
        var written = ReadSummary(Path.Combine(_vae, ModelEvaluation.SummaryFile));
        Assert.That(written["iw_samples"], Is.EqualTo(100));
        Assert.That(written["test_nll_iw"], Is.EqualTo(k100).Within(1e-6).Percent);
    }

    private static double Spread(double[] values) => values.Max() - values.Min();

    [Test]
    public void ImportanceSamplingNeedsABernoulliVae()
    {
        using var trained = Open(_ae);
        var error = Assert.Throws<UserInputException>(() => ModelEvaluation.Run(trained, new EvaluationRequest(Limit: 10, ImportanceSamples: 5)))!;
        Assert.That(error.Message, Does.Contain("--iw").And.Contain("not a VAE"));
    }

    [Test]
    public void AFolderOfAnotherShapeIsRefusedNamingBothUnlessResized()
    {
        var folder = Directory.CreateTempSubdirectory("rgb64").FullName;
        var random = new Random(4);
        for (int i = 0; i < 30; i++)
            Png.Write(Path.Combine(folder, $"img{i}.png"), Enumerable.Range(0, 64 * 64 * 3).Select(_ => (byte)random.Next(256)).ToArray(), 64, 64, 3);
        using var trained = Open(_ae);
        var error = Assert.Throws<DatasetException>(() => ModelEvaluation.Run(trained, new EvaluationRequest(Dataset: folder)))!;
        Assert.That(error.Message, Does.Contain("3x64x64").And.Contain("1x28x28").And.Contain("--resize"));
        var summary = ModelEvaluation.Run(trained, new EvaluationRequest(Dataset: folder, Resize: true, OutputDirectory: folder));
        Assert.That(summary.Images, Is.GreaterThan(0), "converted when asked");
    }
}
