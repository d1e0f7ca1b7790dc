using System.Globalization;
using System.Text;
using VulkanAE.IO;
using VulkanAE.Plots;

namespace VulkanAE.Training;

/// <summary>One configuration of a comparison: its label, how it was trained, and its metrics.</summary>
internal sealed record ComparedRun(string Label, TrainingOptions Options, IReadOnlyList<EpochMetrics> History);

/// <summary>
/// Trains several configurations on the same data for the same epochs (every model with every
/// noise level) and puts their loss curves on one chart: dense against convolutional, vanilla
/// against denoising, autoencoder against VAE (<see cref="ComparisonPictures"/>). Each configuration keeps
/// its own run directory under the comparison's.
/// </summary>
internal static class Comparison
{
    public const string ChartFile = "comparison.png";
    public const string TableFile = "comparison.csv";
    public const string DenoisingFile = "denoising.png";
    private const int DenoisingExamples = 8;

    public static IReadOnlyList<ComparedRun> Execute(TrainingOptions template, IReadOnlyList<string> models, IReadOnlyList<float> noises,
        string directory, ITrainingObserver observer)
    {
        if (models.Count * noises.Count > Palette.Tab10.Count)
            throw new ArgumentException($"{models.Count} models x {noises.Count} noise levels: at most {Palette.Tab10.Count} configurations fit one chart");
        Directory.CreateDirectory(directory);
        var runs = new List<ComparedRun>();
        foreach (var model in models)
            foreach (var noise in noises)
            {
                string label = noise > 0 ? string.Create(CultureInfo.InvariantCulture, $"{model} noise {noise}") : model;
                var options = template with { Model = model, Noise = noise, OutputDirectory = Path.Combine(directory, label.Replace(' ', '-')) };
                var history = TrainingRun.Execute(options, observer);
                runs.Add(new ComparedRun(label, options, history));
                if (history.Count < (options.Epochs ?? options.Spec().Defaults.Epochs)) return runs; // stopped by the observer
            }
        WriteTable(Path.Combine(directory, TableFile), runs);
        using (var chart = Chart(template.Dataset, runs)) chart.Write(Path.Combine(directory, ChartFile));
        ComparisonPictures.WriteAll(directory, runs, template.Seed);
        if (noises.Any(n => n > 0))
            using (var denoising = DenoisingGrid(runs.Where(r => r.Options.Noise > 0).ToArray())) denoising.Write(Path.Combine(directory, DenoisingFile));
        return runs;
    }

    private static void WriteTable(string path, IReadOnlyList<ComparedRun> runs)
    {
        var text = new StringBuilder("configuration,epoch,train_loss,test_loss,seconds\n");
        foreach (var run in runs)
            foreach (var m in run.History)
                text.Append(string.Create(CultureInfo.InvariantCulture, $"{run.Label},{m.Epoch},{m.TrainLoss:G9},{m.TestLoss:G9},{m.Seconds:F3}\n"));
        RunFile.WriteAllText(path, text.ToString());
    }

    /// <summary>One colour per configuration, its test loss in a bold line and its train loss in a light one.</summary>
    private static Chart Chart(string dataset, IReadOnlyList<ComparedRun> runs)
    {
        var series = runs.SelectMany((run, index) => new[]
        {
            new Series(run.Label + " train", run.History.Select(m => ((double)m.Epoch, m.TrainLoss)).ToArray(), index, Light: true),
            new Series(run.Label + " test", run.History.Select(m => ((double)m.Epoch, m.TestLoss)).ToArray(), index),
        }).ToArray();
        return LineChart.Create($"Loss per epoch on {dataset}", new ChartAxis("epoch", IntegerTicks: true), new ChartAxis("loss"), series, width: 1000, height: 560);
    }

    /// <summary>For each denoising configuration, three named rows: noisy inputs, their reconstructions, the clean targets.</summary>
    private static Chart DenoisingGrid(IReadOnlyList<ComparedRun> runs)
    {
        var rows = new List<float>();
        var names = new List<string>();
        (int Channels, int Height, int Width) shape = default;
        foreach (var run in runs)
        {
            using var trained = TrainedRun.Open(run.Options.OutputDirectory, run.Options.Device);
            var testSet = trained.LoadTestSet();
            shape = (testSet.Channels, testSet.Height, testSet.Width);
            using var test = new DeviceDataset(trained.Gpu, testSet);
            var (clean, noisy, output) = trained.Inference.Reconstruct(test, DenoisingExamples, run.Options.Noise);
            rows.AddRange(noisy);
            rows.AddRange(output);
            rows.AddRange(clean);
            names.AddRange([$"{run.Label}: noisy input", "reconstruction", "clean target"]);
        }
        int count = rows.Count / (shape.Channels * shape.Height * shape.Width);
        return ImageFigure.WithRowNames("Denoising: what each model makes of noisy test images",
            ImageGrid.Compose(rows.ToArray(), count, shape.Channels, shape.Height, shape.Width, columns: DenoisingExamples, scale: 2), names);
    }
}
