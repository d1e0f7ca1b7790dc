using System.Globalization;
using System.Text;
using VulkanAE.Data;
using VulkanAE.Training;

namespace VulkanAE.Evaluation;

/// <summary>What `vae evaluate` is asked for: null and 0 keep the run's own (its dataset, the whole test set, no importance sampling).</summary>
/// <param name="Dataset">Another dataset to evaluate on (mnist, fashion-mnist or an image folder), checked against the model's input.</param>
/// <param name="Resize">Image folders: convert and resize the images to the model's input instead of refusing another shape.</param>
/// <param name="ImportanceSamples">K of the importance-weighted log-likelihood (VAEs); 0 for none.</param>
/// <param name="OutputDirectory">Where the CSV files go (default: the run directory).</param>
/// <remarks>The sampling (a VAE's z, the importance samples) comes from the seed the run was opened with (<see cref="TrainedRun.Seed"/>).</remarks>
internal sealed record EvaluationRequest(string? Dataset = null, int? Limit = null, bool Resize = false, int ImportanceSamples = 0,
    string? OutputDirectory = null);

/// <summary>The figures of the whole test set, by column, and the files written.</summary>
internal sealed record EvaluationSummary(string Dataset, int Images, IReadOnlyList<(string Column, double Value)> Figures, double ImportanceSeconds,
    IReadOnlyList<string> Files);

/// <summary>
/// `vae evaluate`: a trained model's loss on a test set, each term, per class when the set has
/// labels, and for a VAE with K importance samples the estimated negative log-likelihood -L_K
/// (<see cref="ImportanceWeightedLikelihood"/>). Columns are named as in metrics.csv (test_loss,
/// test_recon, test_kl), then iw_samples and test_nll_iw; evaluation.csv holds the header and one
/// row for the whole set, evaluation_per_class.csv a row per class (an image folder's classes by
/// sub-folder name, MNIST's by digit). Every figure is a mean over
/// images in the model's unit, summed in double on the host.
/// </summary>
internal static class ModelEvaluation
{
    public const string SummaryFile = "evaluation.csv";
    public const string PerClassFile = "evaluation_per_class.csv";

    /// <param name="progress">Hears (images done, images) during the importance sampling.</param>
    public static EvaluationSummary Run(TrainedRun trained, EvaluationRequest request, Action<int, int>? progress = null)
    {
        if (request.Limit is < 1) throw new UserInputException($"--limit must be at least 1, got {request.Limit}");
        if (request.ImportanceSamples < 0) throw new UserInputException($"--iw must be at least 1 sample, got {request.ImportanceSamples}");
        var options = request.Dataset is null
            ? trained.Options with { Limit = request.Limit }
            : trained.Options with { Dataset = request.Dataset, ImageSize = null, Channels = null, Resize = request.Resize, Limit = request.Limit };
        var testSet = TrainingRun.LoadDatasets(options, trained.Model.Spec, convertChannels: request.Dataset is null || request.Resize).Test;
        using var test = new DeviceDataset(trained.Gpu, testSet);

        var model = trained.Model;
        var columns = new List<string> { "test_loss" };
        var perImage = new List<double[]>();
        var terms = trained.Inference.LossTerms(test);
        perImage.Add(Enumerable.Range(0, test.Count).Select(i => terms.Sum(t => t[i])).ToArray());
        if (terms.Length > 1)
        {
            columns.AddRange(model.LossTerms.Select(t => "test_" + t));
            perImage.AddRange(terms);
        }
        double seconds = 0;
        if (request.ImportanceSamples > 0)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            using var estimator = new ImportanceWeightedLikelihood(trained.Gpu, model, request.ImportanceSamples, trained.Seed);
            var logLikelihoods = estimator.Estimate(test, progress);
            seconds = clock.Elapsed.TotalSeconds;
            columns.Add("iw_samples");
            perImage.Add(Enumerable.Repeat((double)request.ImportanceSamples, test.Count).ToArray());
            columns.Add("test_nll_iw");
            perImage.Add(logLikelihoods.Select(l => -l).ToArray());
        }

        string directory = request.OutputDirectory ?? trained.Directory;
        Directory.CreateDirectory(directory);
        var files = new List<string> { Path.Combine(directory, SummaryFile) };
        var all = Enumerable.Range(0, test.Count).ToArray();
        File.WriteAllText(files[0], Table(["images"], columns, [([Count(all)], all)], perImage));
        if (testSet.Labels is { } labels)
        {
            var classes = Enumerable.Range(0, testSet.ClassCount)
                .Select(c => (Class: c, Images: all.Where(i => labels[i] == c).ToArray()))
                .Where(c => c.Images.Length > 0)
                .Select(c => (new[] { CsvField(testSet.ClassName(c.Class)), Count(c.Images) }, c.Images));
            files.Add(Path.Combine(directory, PerClassFile));
            File.WriteAllText(files[1], Table(["class", "images"], columns, classes, perImage));
        }
        var figures = columns.Select((column, k) => (column, Mean(perImage[k], all))).ToArray();
        return new EvaluationSummary(testSet.Name, test.Count, figures, seconds, files);
    }

    /// <summary>A header, then per group its key fields and the mean of each column over its images.</summary>
    private static string Table(string[] keyHeader, IReadOnlyList<string> columns, IEnumerable<(string[] Keys, int[] Images)> groups,
        IReadOnlyList<double[]> perImage)
    {
        var text = new StringBuilder(string.Join(",", keyHeader.Concat(columns))).Append('\n');
        foreach (var (keys, images) in groups)
            text.Append(string.Join(",", keys.Concat(perImage.Select(values => Mean(values, images).ToString("G9", CultureInfo.InvariantCulture))))).Append('\n');
        return text.ToString();
    }

    /// <summary>A folder's name as one CSV field: quoted (RFC 4180) when it holds a comma, a quote or a line break.</summary>
    private static string CsvField(string text)
        => text.AsSpan().IndexOfAny(",\"\r\n") < 0 ? text : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Count(int[] images) => images.Length.ToString(CultureInfo.InvariantCulture);

    private static double Mean(double[] values, int[] images) => images.Sum(i => values[i]) / images.Length;
}
