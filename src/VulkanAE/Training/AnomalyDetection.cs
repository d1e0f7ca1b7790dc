using System.Globalization;
using System.Text;
using VulkanAE.Analysis;
using VulkanAE.Data;
using VulkanAE.IO;
using VulkanAE.Models;

namespace VulkanAE.Training;

/// <summary>One scored image: its path in the folder, its reconstruction error, and whether its folder marks it anomalous.</summary>
internal sealed record AnomalyScore(string Path, double Score, bool? Anomalous);

/// <summary>The scores, most anomalous first, and the ROC AUC when the folder is labelled normal/anomalous.</summary>
internal sealed record AnomalyReport(IReadOnlyList<AnomalyScore> Ranked, double? RocAuc);

/// <summary>
/// Anomaly detection with a trained autoencoder: an image it reconstructs badly is unlike what it
/// learnt. Each image of a folder is scored by its mean squared reconstruction error; when the
/// folder has sub-folders named normal and anomalous (or anomaly), the ROC AUC of the score says how
/// well it separates them.
/// </summary>
internal static class AnomalyDetection
{
    public const string TableFile = "anomaly_scores.csv";
    public const string GridFile = "anomaly_extremes.png";
    public const string RocFile = "anomaly_roc.png";

    /// <param name="resize">Convert and resize images to the model's input; without it, images of another shape are refused, naming both shapes.</param>
    public static AnomalyReport Run(string runDirectory, string folder, string outputDirectory, int? device, bool resize = false, Action<string>? note = null)
    {
        using var trained = TrainedRun.Open(runDirectory, device, note);
        var model = trained.Model;
        var input = model.Spec.InputShape;
        if (input.Height != input.Width)
            throw new ArgumentException($"model {model.Spec.Name} takes {input} inputs; image folders give square images");
        var images = ImageFolder.Load(folder, new ImageFolderOptions(input.Height, input.Channels, Resize: resize, TestFraction: 0, ConvertChannels: resize));
        var all = images.Train;
        bool?[] anomalous = AnomalousLabels(all, images.ClassNames);

        using var data = new DeviceDataset(trained.Gpu, all);
        var (clean, _, output) = trained.Inference.Reconstruct(data, all.Count);
        int features = model.Features;
        var scores = new float[all.Count];
        for (int i = 0; i < all.Count; i++)
        {
            double sum = 0;
            for (int j = i * features; j < (i + 1) * features; j++) sum += (double)(clean[j] - output[j]) * (clean[j] - output[j]);
            scores[i] = (float)(sum / features);
        }

        var order = Enumerable.Range(0, all.Count).OrderByDescending(i => scores[i]).ThenBy(i => images.TrainPaths[i], StringComparer.Ordinal).ToArray();
        var ranked = order.Select(i => new AnomalyScore(images.TrainPaths[i], scores[i], anomalous[i])).ToArray();
        double? auc = null;
        Directory.CreateDirectory(outputDirectory);
        if (anomalous.All(a => a is not null) && anomalous.Distinct().Count() == 2)
        {
            var labels = anomalous.Select(a => a!.Value).ToArray();
            auc = RocAuc.Area(scores, labels);
            var curve = RocAuc.Curve(scores, labels).Select(p => (p.FalsePositiveRate, p.TruePositiveRate)).ToArray();
            using var roc = AnomalyPictures.Roc(auc.Value, curve);
            roc.Write(Path.Combine(outputDirectory, RocFile));
        }
        WriteTable(Path.Combine(outputDirectory, TableFile), ranked);
        using var extremes = AnomalyPictures.Extremes(model, all, clean, output, order, ranked);
        extremes.Write(Path.Combine(outputDirectory, GridFile));
        return new AnomalyReport(ranked, auc);
    }

    /// <summary>True for images under a sub-folder named anomalous/anomaly, false under normal, null otherwise.</summary>
    private static bool?[] AnomalousLabels(ImageDataset images, IReadOnlyList<string> classNames)
    {
        bool? Kind(string name) => name.ToLowerInvariant() switch
        {
            "anomalous" or "anomaly" or "anomalies" => true,
            "normal" => false,
            _ => null,
        };
        return images.Labels is null
            ? new bool?[images.Count]
            : images.Labels.Select(label => Kind(classNames[label])).ToArray();
    }

    private static void WriteTable(string path, IReadOnlyList<AnomalyScore> ranked)
    {
        var text = new StringBuilder("rank,path,score,label\n");
        for (int i = 0; i < ranked.Count; i++)
        {
            string label = ranked[i].Anomalous switch { true => "anomalous", false => "normal", null => "" };
            text.Append(string.Create(CultureInfo.InvariantCulture, $"{i + 1},{ranked[i].Path},{ranked[i].Score:G6},{label}\n"));
        }
        RunFile.WriteAllText(path, text.ToString());
    }
}
