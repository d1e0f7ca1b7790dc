using System.Globalization;
using Alignment = ScottPlot.Alignment;
using VulkanAE.Data;
using VulkanAE.IO;
using VulkanAE.Models;
using VulkanAE.Plots;

namespace VulkanAE.Training;

/// <summary>The pictures of <see cref="AnomalyDetection"/>: the ROC curve of its score and the two ends of its ranking.</summary>
internal static class AnomalyPictures
{
    private const int ExtremeCount = 8;

    /// <summary>Images smaller than this many pixels high are shown enlarged by an integer factor (28x28 digits at 56x56).</summary>
    private const int MinimumShownHeight = 56;

    /// <summary>Longer paths are abbreviated (<see cref="Abbreviate"/>), so the two tables stay side by side.</summary>
    private const int MaxPathLength = 36;

    /// <param name="runs">How many runs' scores were averaged (an ensemble), 1 for one run.</param>
    public static Chart Roc(ScoreRecipe score, int runs, double auc, IReadOnlyList<(double FalsePositiveRate, double TruePositiveRate)> curve, OperatingPoint operating)
    {
        var rate = (0.0, 1.0);
        string name = ScoreName(score, runs);
        string threshold = string.Create(CultureInfo.InvariantCulture,
            $"threshold {operating.Threshold:G4}: {operating.FalsePositiveRate:P1} of normal flagged, recall {operating.Recall:P1}");
        return LineChart.Create(string.Create(CultureInfo.InvariantCulture, $"ROC of the {name} (AUC {auc:F3})"),
            new ChartAxis("false positive rate", MustShow: rate), new ChartAxis("true positive rate", MustShow: rate),
            [new Series(name, curve, Colour: 0), new Series(threshold, [(operating.FalsePositiveRate, operating.Recall)], Colour: 3),
             new Series("chance", [(0, 0), (1, 1)], Palette.Gray, Light: true)],
            width: 760, height: 560);
    }

    private static string ScoreName(ScoreRecipe score, int runs) => runs == 1 ? KindName(score) : $"{KindName(score)}, the mean of {runs} runs";

    private static string KindName(ScoreRecipe score) => score.Kind switch
    {
        AnomalyScoreKind.Mse => "reconstruction error",
        AnomalyScoreKind.Ssim => "structural dissimilarity (1 - SSIM)",
        AnomalyScoreKind.Gradient => "gradient error",
        AnomalyScoreKind.Density => "feature density",
        AnomalyScoreKind.Logit => "CutPaste classifier's logit",
        _ => throw new ArgumentOutOfRangeException(nameof(score), score, null),
    };

    /// <summary>How the score comes from its map, for the extremes' title; a score without a map of its own says which map is shown.</summary>
    private static string PoolingName(ScoreRecipe score, bool classifier)
    {
        string shown = classifier ? "map: the size of the logit's gradient at each pixel" : "error: squared reconstruction error";
        return score.Kind switch
        {
            AnomalyScoreKind.Logit => $"one number per image ({shown})",
            AnomalyScoreKind.Density => $"{DensityPoolingName(score)} ({shown})",
            _ => MapPoolingName(score),
        };
    }

    private static string MapPoolingName(ScoreRecipe score) => score.Pooling switch
    {
        ErrorPooling.Mean => "the mean of its error map",
        ErrorPooling.MaxLocal => $"the largest mean of its error map over {score.Window}x{score.Window} pixels",
        ErrorPooling.Max => "the largest value of its error map",
        _ => string.Create(CultureInfo.InvariantCulture, $"the mean of the worst {score.TopPercent:G4}% of its error map"),
    };

    private static string DensityPoolingName(ScoreRecipe score) => score.Pooling switch
    {
        ErrorPooling.Mean => "the mean distance over positions",
        ErrorPooling.MaxLocal => $"the largest mean distance over {score.Window}x{score.Window} positions",
        ErrorPooling.Max => "the largest distance over positions",
        _ => string.Create(CultureInfo.InvariantCulture, $"the mean of the worst {score.TopPercent:G4}% of positions"),
    };

    /// <summary>
    /// Two tables side by side, the most anomalous images and the least: each row an image, its reconstruction, its error
    /// map (where the score comes from: black none, through red, to yellow at the largest error shown), its score and its
    /// path in the folder. A classifier has no reconstruction: its rows show the image and its map.
    /// </summary>
    /// <param name="output">The reconstructions, or null for a classifier.</param>
    /// <param name="maps">Error maps [count, height, width] of <see cref="AnomalyScoring"/>, or a classifier's saliency.</param>
    /// <param name="order">Image indices, most anomalous first; <paramref name="ranked"/>[k] scores image <paramref name="order"/>[k].</param>
    /// <param name="runs">How many runs' scores, maps and reconstructions were averaged (an ensemble), 1 for one run.</param>
    public static Chart Extremes(Autoencoder model, ScoreRecipe score, int runs, ImageDataset images, float[] clean, float[]? output, float[] maps,
        int[] order, IReadOnlyList<AnomalyScore> ranked)
    {
        const int pad = ChartStyle.Padding, gap = ImageGrid.SeparatorPixels;
        const float small = ChartStyle.SmallTextSize;
        int shown = Math.Min(ExtremeCount, images.Count);
        (string Name, int[] Ranks)[] tables =
        [
            ("Most anomalous", Enumerable.Range(0, shown).ToArray()),
            ("Least anomalous", Enumerable.Range(ranked.Count - shown, shown).Reverse().ToArray()),
        ];
        string Score(int rank) => ranked[rank].Score.ToString("G4", CultureInfo.InvariantCulture);
        string Path(int rank) => Abbreviate(ranked[rank].Path);

        // Each row: an image, its reconstruction and its error map as a three-cell grid (a classifier's: the image and its map), then the score above the path.
        string[] captions = output is null ? ["input", "saliency"] : ["input", "output", "error"];
        int scale = Math.Max(1, MinimumShownHeight / images.Height);
        int cell = images.Width * scale, cellsWidth = captions.Length * (cell + gap) + gap, cellsHeight = images.Height * scale + 2 * gap;
        int textWidth = (int)Math.Ceiling(tables.SelectMany(table => table.Ranks).Max(rank =>
            Math.Max(ChartStyle.MeasureWidth(Score(rank), small, bold: true), ChartStyle.MeasureWidth(Path(rank), small))));
        int tableWidth = cellsWidth + pad + textWidth, header = (int)(ChartStyle.TextSize + small) + 2 * pad, rowHeight = cellsHeight + pad / 2;
        var figure = new ImageFigure($"Anomaly score: {ScoreName(score, runs)}, {PoolingName(score, classifier: output is null)}", 2 * tableWidth + 2 * pad, header + shown * rowHeight);
        int features = model.Features, pixels = images.Height * images.Width;
        double largest = tables.SelectMany(table => table.Ranks).Max(rank => maps.AsSpan(order[rank] * pixels, pixels).ToArray().Max());
        float[] Shown(int image) => output is null
            ? clean.AsSpan(image * features, features).ToArray()
            : [.. clean.AsSpan(image * features, features), .. output.AsSpan(image * features, features)];
        RasterImage Row(int image) => ImageGrid.Compose([.. RunPictures.ForDisplay(model, Shown(image)), .. Heat(maps.AsSpan(image * pixels, pixels), largest, images.Channels)],
            captions.Length, images.Channels, images.Height, images.Width, columns: captions.Length, scale);

        for (int t = 0; t < tables.Length; t++)
        {
            int left = t * (tableWidth + 2 * pad), textLeft = left + cellsWidth + pad, captionTop = (int)ChartStyle.TextSize + pad / 2;
            figure.Text(tables[t].Name, left, 0, Alignment.UpperLeft, bold: true);
            for (int c = 0; c < captions.Length; c++)
                figure.Text(captions[c], left + (c + 1) * gap + (c + 0.5) * cell, captionTop, Alignment.UpperCenter, small);
            figure.Text("score, file", textLeft, captionTop, Alignment.UpperLeft, small);
            for (int row = 0; row < shown; row++)
            {
                int rank = tables[t].Ranks[row], top = header + row * rowHeight;
                figure.Image(Row(order[rank]), left, top);
                figure.Text(Score(rank), textLeft, top + cellsHeight / 2.0, Alignment.LowerLeft, small, bold: true);
                figure.Text(Path(rank), textLeft, top + cellsHeight / 2.0, Alignment.UpperLeft, small);
            }
        }

        return figure.Chart;
    }

    /// <summary>An error map as a picture in [0, 1]: gray for one channel; for RGB, black to red to yellow to white up to <paramref name="largest"/>.</summary>
    private static float[] Heat(ReadOnlySpan<float> map, double largest, int channels)
    {
        var picture = new float[channels * map.Length];
        for (int p = 0; p < map.Length; p++)
        {
            float v = largest > 0 ? (float)(map[p] / largest) : 0f;
            if (channels == 1)
            {
                picture[p] = v;
                continue;
            }
            for (int c = 0; c < 3; c++) picture[c * map.Length + p] = Math.Clamp(3 * v - c, 0f, 1f);
        }
        return picture;
    }

    /// <summary>
    /// <paramref name="path"/> cut to <see cref="MaxPathLength"/> characters in its middle: the first folder (normal/,
    /// anomalous/) and the end of the file name stay.
    /// </summary>
    public static string Abbreviate(string path)
    {
        if (path.Length <= MaxPathLength) return path;
        const string ellipsis = "...";
        int folderEnd = path.IndexOfAny(['/', '\\']) + 1;
        string folder = folderEnd <= MaxPathLength / 2 ? path[..folderEnd] : "";
        return folder + ellipsis + path[^(MaxPathLength - folder.Length - ellipsis.Length)..];
    }
}
