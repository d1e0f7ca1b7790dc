using System.Globalization;
using System.Text;

namespace VulkanAE.Training;

/// <summary>One row of metrics.csv. Losses are per pixel; seconds and images/s cover the training pass.</summary>
internal sealed record EpochMetrics(int Epoch, double TrainLoss, double TestLoss, double Seconds, double ImagesPerSecond)
{
    public const string CsvHeader = "epoch,train_loss,test_loss,seconds,images_per_second";

    public string ToCsv() => string.Create(CultureInfo.InvariantCulture,
        $"{Epoch},{TrainLoss:G9},{TestLoss:G9},{Seconds:F3},{ImagesPerSecond:F1}");

    /// <summary>Rewrites the whole file, so it is complete after every epoch even if the run is stopped.</summary>
    public static void WriteCsv(string path, IEnumerable<EpochMetrics> rows)
    {
        var text = new StringBuilder(CsvHeader).Append('\n');
        foreach (var row in rows) text.Append(row.ToCsv()).Append('\n');
        var partial = path + ".partial";
        File.WriteAllText(partial, text.ToString());
        File.Move(partial, path, overwrite: true);
    }
}
