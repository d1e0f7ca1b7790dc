using System.Globalization;
using System.Text;

namespace VulkanAE.Training;

/// <summary>
/// One row of metrics.csv. Losses are in the model's unit (per pixel for an AE, nats per sample
/// for a VAE); <paramref name="Terms"/> breaks a VAE's loss into reconstruction and KL.
/// Seconds and images/s cover the training pass.
/// </summary>
internal sealed record EpochMetrics(int Epoch, double TrainLoss, double TestLoss, double Seconds, double ImagesPerSecond,
    IReadOnlyList<(string Name, double Train, double Test)> Terms)
{
    public static string CsvHeader(IReadOnlyList<string> termNames)
        => string.Join(",", new[] { "epoch", "train_loss", "test_loss" }
            .Concat(termNames.SelectMany(t => new[] { "train_" + t, "test_" + t }))
            .Concat(["seconds", "images_per_second"]));

    public string ToCsv() => string.Join(",", new[] { Epoch.ToString(CultureInfo.InvariantCulture), Number(TrainLoss), Number(TestLoss) }
        .Concat(Terms.SelectMany(t => new[] { Number(t.Train), Number(t.Test) }))
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
    /// <paramref name="termNames"/> (none for a loss of one term), and a row per epoch, none at the start of a run.
    /// </summary>
    public static string Csv(IReadOnlyList<string> termNames, IReadOnlyList<EpochMetrics> rows)
    {
        var text = new StringBuilder(CsvHeader(termNames)).Append('\n');
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
        var termNames = header.Length >= 5 && header.Length % 2 == 1
            ? header.Skip(3).SkipLast(2).Where((_, i) => i % 2 == 0).Select(h => h.StartsWith("train_", StringComparison.Ordinal) ? h["train_".Length..] : "").ToArray()
            : null;
        if (termNames is null || termNames.Any(t => t.Length == 0) || lines[0] != CsvHeader(termNames))
            throw new UserInputException($"{path}: line 1 is not the header `vae train` writes (epoch,train_loss,test_loss,...,seconds,images_per_second); {Fix}");
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
            var terms = termNames.Select((name, i) => (name, v[3 + 2 * i], v[4 + 2 * i])).ToArray();
            rows.Add(new EpochMetrics(epoch, v[1], v[2], v[^2], v[^1], terms));
        }
        return rows;
    }
}
