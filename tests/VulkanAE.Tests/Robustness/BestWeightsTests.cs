using System.Text.Json;
using VulkanAE.IO;
using VulkanAE.Models;
using VulkanAE.Training;

namespace VulkanAE.Tests.Robustness;

/// <summary>
/// model.best.safetensors is written with the generation of the epoch that has the best validation
/// loss, and only then: a worse epoch and a save within an epoch leave the best epoch's weights.
/// </summary>
public class BestWeightsTests : GpuTest
{
    private static readonly TrainingOptions RunOptions = new(Model: "linear-ae", Latent: 2, Epochs: 4, ValidationSplit: 0.2);

    private static List<EpochMetrics> History(params double[] validationLosses)
        => [.. validationLosses.Select((loss, i) => new EpochMetrics(i + 1, 1, 1, 1, 1, []) { ValidationLoss = loss, LearningRate = 1e-3 })];

    [Test]
    public void TheBestEpochsWeightsAreKeptThroughWorseEpochsAndStops()
    {
        var run = Directory.CreateTempSubdirectory("best").FullName;
        using var model = RunOptions.Spec().Build(Gpu, maxRows: 4, RunOptions.Seed);
        var choices = new Dictionary<string, JsonElement>();
        var random = new Random(7);
        float[][] Fill() => [.. model.Parameters.Select(p =>
        {
            var values = RandomArray(random, (int)p.Value.Length);
            p.Value.Upload<float>(values);
            return values;
        })];

        var first = Fill();
        RunDirectory.Save(run, model, RunOptions, epoch: 1, optimizerStep: 1, choices, History(0.5));
        AssertBest(run, model, epoch: 1, first);

        Fill();
        RunDirectory.Save(run, model, RunOptions, epoch: 2, optimizerStep: 2, choices, History(0.5, 0.7));
        AssertBest(run, model, epoch: 1, first);

        var third = Fill();
        RunDirectory.Save(run, model, RunOptions, epoch: 3, optimizerStep: 3, choices, History(0.5, 0.7, 0.4));
        AssertBest(run, model, epoch: 3, third);

        Fill();
        RunDirectory.Save(run, model, RunOptions, epoch: 3, optimizerStep: 4, choices, History(0.5, 0.7, 0.4), partial: new EpochPosition(4, 1, [0f]));
        AssertBest(run, model, epoch: 3, third);
        Assert.That(Directory.GetFiles(run).Select(Path.GetFileName).Where(f => f!.EndsWith(RunFile.TemporarySuffix) || f == RunGeneration.JournalFile), Is.Empty);
    }

    [Test]
    public void ARunWithoutAValidationSetHasNoBestWeights()
    {
        var run = Directory.CreateTempSubdirectory("no-best").FullName;
        var options = RunOptions with { ValidationSplit = 0 };
        using var model = options.Spec().Build(Gpu, maxRows: 4, options.Seed);
        RunDirectory.Save(run, model, options, epoch: 1, optimizerStep: 1, new Dictionary<string, JsonElement>(),
            [new EpochMetrics(1, 1, 1, 1, 1, []) { LearningRate = 1e-3 }]);
        Assert.That(File.Exists(Path.Combine(run, RunDirectory.BestWeightsFile)), Is.False);
        Assert.That(Safetensors.Read(Path.Combine(run, RunDirectory.WeightsFile)).Metadata, Does.Not.ContainKey(RunDirectory.BestEpochKey));
    }

    private static void AssertBest(string run, Autoencoder model, int epoch, float[][] weights)
    {
        var best = Safetensors.Read(Path.Combine(run, RunDirectory.BestWeightsFile));
        Assert.That(best.Metadata[CheckpointMetadata.EpochKey], Is.EqualTo(epoch.ToString()));
        foreach (var (p, expected) in model.Parameters.Zip(weights))
            Assert.That(best.Floats(p.Name, p.Shape), Is.EqualTo(expected), $"{p.Name} of epoch {epoch}");
        foreach (var file in new[] { RunDirectory.WeightsFile, RunDirectory.CheckpointFile })
            Assert.That(Safetensors.Read(Path.Combine(run, file)).Metadata[RunDirectory.BestEpochKey], Is.EqualTo(epoch.ToString()), file);
    }
}
