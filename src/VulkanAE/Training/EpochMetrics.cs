using System.Globalization;
using System.Text;

namespace VulkanAE.Training;

/// <summary>
/// One row of metrics.csv. Losses are in the model's unit (per pixel for an AE, nats per sample
/// for a VAE); <paramref name="Terms"/> breaks a VAE's loss into reconstruction and KL.
/// Seconds and images/s cover the training pass. <see cref="ValidationLoss"/> is the loss on the
/// images held out of the training set (--val-split), <see cref="LearningRate"/> the rate of the
/// epoch's last step.
/// </summary>
internal sealed record EpochMetrics(int Epoch, double TrainLoss, double TestLoss, double Seconds, double ImagesPerSecond,
    IReadOnlyList<(string Name, double Train, double Test)> Terms)
{
    public const string ValidationColumn = "validation_loss";
    public const string LearningRateColumn = "learning_rate";

    public double? ValidationLoss { get; init; }

    public double? LearningRate { get; init; }

    public static string CsvHeader(IReadOnlyList<string> termNames, bool validation, bool learningRate)
        => string.Join(",", new[] { "epoch", "train_loss" }
            .Concat(validation ? [ValidationColumn] : [])
            .Append("test_loss")
            .Concat(termNames.SelectMany(t => new[] { "train_" + t, "test_" + t }))
            .Concat(learningRate ? [LearningRateColumn] : [])
            .Concat(["seconds", "images_per_second"]));

    public string ToCsv() => string.Join(",", new[] { Epoch.ToString(CultureInfo.InvariantCulture), Number(TrainLoss) }
        .Concat(ValidationLoss is double validation ? [Number(validation)] : [])
        .Append(Number(TestLoss))
        .Concat(Terms.SelectMany(t => new[] { Number(t.Train), Number(t.Test) }))
        .Concat(LearningRate is double rate ? [Number(rate)] : [])
        .Concat([Seconds.ToString("F3", CultureInfo.InvariantCulture), ImagesPerSecond.ToString("F1", CultureInfo.InvariantCulture)]));

    private static string Number(double value) => value.ToString("G9", CultureInfo.InvariantCulture);

    /// <summary>Below this many nats per sample, a VAE's test KL says its encoder carries no information.</summary>
    public const double CollapsedKlNats = 0.1;

    /// <summary>
    /// A warning when a VAE's posterior has collapsed: the KL term near 0 means q(z|x) is the prior
    /// for every image and the decoder draws one average digit whatever the code. It happens to a
    /// 2-D conv-vae with some seeds, in PyTorch as here; a KL warm-up lets the decoder learn to
    /// use the code first. Null when there is no KL term or it is healthy.
    /// </summary>
    public string? PosteriorCollapseWarning()
    {
        var kl = Terms.FirstOrDefault(t => t.Name == "kl");
        return kl.Name is null || kl.Test >= CollapsedKlNats ? null
            : $"the test KL is {kl.Test:G2} nats: the posterior has collapsed (the decoder ignores the latent code). "
              + "Train again with a KL warm-up (--kl-warmup 3) or another --seed.";
    }

    /// <summary>
    /// The whole of metrics.csv: the header, with a pair of columns per loss term in
    /// <paramref name="termNames"/> (none for a loss of one term), validation_loss when the run
    /// holds images out (<paramref name="validation"/>) and learning_rate, and a row per epoch, none
    /// at the start of a run. The columns come from the run, not the rows, so the header of a run
    /// without epochs is the one its epochs will fill.
    /// </summary>
    public static string Csv(IReadOnlyList<string> termNames, bool validation, IReadOnlyList<EpochMetrics> rows)
    {
        var text = new StringBuilder(CsvHeader(termNames, validation, learningRate: true)).Append('\n');
        var odd = rows.FirstOrDefault(row => (row.ValidationLoss is null) == validation || row.LearningRate is null);
        if (odd is not null)
            throw new ArgumentException($"epoch {odd.Epoch} does not fit metrics.csv's columns: every row has a learning rate, and a validation loss exactly when the run holds images out", nameof(rows));
        foreach (var row in rows) text.Append(row.ToCsv()).Append('\n');
        return text.ToString();
    }

    /// <summary>
    /// Reads back what <see cref="Csv"/> wrote (for resuming a run), trusting nothing: the
    /// header must be the one written, every row must have its fields, every number must parse and
    /// the epochs must count up from 1; anything else is a <see cref="UserInputException"/> naming
    /// the line and the field.
    /// </summary>
    public static List<EpochMetrics> ReadCsv(string path) => ParseCsv(File.ReadAllLines(path), path);

    /// <summary>The rows of metrics.csv's <paramref name="lines"/>; <paramref name="path"/> names it in errors.</summary>
    public static List<EpochMetrics> ParseCsv(string[] lines, string path)
    {
        const string Fix = "the file is damaged: restore it or train the run again";
        if (lines.Length == 0 || lines[0].Length == 0) throw new UserInputException($"{path}: empty, no header; {Fix}");
        var header = lines[0].Split(',');
        bool validation = header.Contains(ValidationColumn), learningRate = header.Contains(LearningRateColumn);
        var termNames = header.Where(h => h.StartsWith("train_", StringComparison.Ordinal) && h != "train_loss").Select(h => h["train_".Length..]).ToArray();
        if (lines[0] != CsvHeader(termNames, validation, learningRate))
            throw new UserInputException($"{path}: line 1 is not the header `vae train` writes (epoch,train_loss,test_loss,...,seconds,images_per_second); {Fix}");
        int testColumn = validation ? 3 : 2, firstTerm = testColumn + 1;
        var rows = new List<EpochMetrics>();
        for (int number = 2; number <= lines.Length; number++)
        {
            var line = lines[number - 1];
            if (line.Length == 0) continue;
            var fields = line.Split(',');
            if (fields.Length != header.Length)
                throw new UserInputException($"{path} line {number}: {fields.Length} fields, the header has {header.Length}; {Fix}");
            var v = new double[fields.Length];
            for (int i = 0; i < fields.Length; i++)
                if (!double.TryParse(fields[i], NumberStyles.Float, CultureInfo.InvariantCulture, out v[i]))
                    throw new UserInputException($"{path} line {number}: {header[i]} is '{fields[i]}', not a number; {Fix}");
            int epoch = rows.Count + 1;
            if (v[0] != epoch)
                throw new UserInputException($"{path} line {number}: epoch is {fields[0]}, expected {epoch} (the rows count epochs from 1); {Fix}");
            var terms = termNames.Select((name, i) => (name, v[firstTerm + 2 * i], v[firstTerm + 1 + 2 * i])).ToArray();
            rows.Add(new EpochMetrics(epoch, v[1], v[testColumn], v[^2], v[^1], terms)
            {
                ValidationLoss = validation ? v[2] : null,
                LearningRate = learningRate ? v[^3] : null,
            });
        }
        return rows;
    }
}
