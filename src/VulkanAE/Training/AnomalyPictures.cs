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

    /// <summary>Longer paths keep their end (the file name) behind an ellipsis, so the two tables stay side by side.</summary>
    private const int MaxPathLength = 36;

    public static Chart Roc(double auc, IReadOnlyList<(double FalsePositiveRate, double TruePositiveRate)> curve)
    {
        var rate = (0.0, 1.0);
        return LineChart.Create(string.Create(CultureInfo.InvariantCulture, $"ROC of the reconstruction error (AUC {auc:F3})"),
            new ChartAxis("false positive rate", MustShow: rate), new ChartAxis("true positive rate", MustShow: rate),
            [new Series("reconstruction error", curve, Colour: 0), new Series("chance", [(0, 0), (1, 1)], Palette.Gray, Light: true)],
            width: 760, height: 560);
    }

    /// <summary>
    /// Two tables side by side, the most anomalous images and the least: each row an image, its reconstruction, its score
    /// and its path in the folder.
    /// </summary>
    /// <param name="order">Image indices, most anomalous first; <paramref name="ranked"/>[k] scores image <paramref name="order"/>[k].</param>
    public static Chart Extremes(Autoencoder model, ImageDataset images, float[] clean, float[] output, int[] order, IReadOnlyList<AnomalyScore> ranked)
    {
        const int pad = ChartStyle.Padding;
        int shown = Math.Min(ExtremeCount, images.Count);
        int scale = Math.Max(1, MinimumShownHeight / images.Height);
        int features = model.Features;
        RasterImage Pair(int image) => ImageGrid.Compose(RunPictures.ForDisplay(model,
            [.. clean.AsSpan(image * features, features), .. output.AsSpan(image * features, features)]), 2, images.Channels, images.Height, images.Width, columns: 2, scale);

        var tables = new[]
        {
            (Name: "Most anomalous", Ranks: Enumerable.Range(0, shown).ToArray()),
            (Name: "Least anomalous", Ranks: Enumerable.Range(ranked.Count - shown, shown).Reverse().ToArray()),
        };
        string Score(int rank) => ranked[rank].Score.ToString("G4", CultureInfo.InvariantCulture);
        string Shown(int rank) => ranked[rank].Path.Length <= MaxPathLength ? ranked[rank].Path : "..." + ranked[rank].Path[^(MaxPathLength - 3)..];
        var captions = tables.SelectMany(table => table.Ranks).SelectMany(rank => new[] { Score(rank), Shown(rank) }).Append("score, file");

        int cellWidth = images.Width * scale, cellHeight = images.Height * scale;
        int pairWidth = 2 * cellWidth + 3 * ImageGrid.SeparatorPixels, pairHeight = cellHeight + 2 * ImageGrid.SeparatorPixels;
        int textWidth = (int)Math.Ceiling(captions.Max(caption => ChartStyle.MeasureWidth(caption, ChartStyle.SmallTextSize)));
        int lineHeight = (int)Math.Ceiling(ChartStyle.SmallTextSize * 1.4);
        int rowHeight = Math.Max(pairHeight, 2 * lineHeight) + pad / 2;
        int tableWidth = pairWidth + pad + textWidth;
        int titleHeight = (int)ChartStyle.TitleSize + 2 * pad;
        int headerHeight = (int)ChartStyle.TextSize + lineHeight + pad;
        const string title = "Reconstruction error (mean squared, per pixel)";
        int width = Math.Max(3 * pad + 2 * tableWidth + pad, (int)Math.Ceiling(ChartStyle.MeasureWidth(title, ChartStyle.TitleSize, bold: true)) + 2 * pad);
        var figure = new ImageFigure(width, titleHeight + headerHeight + shown * rowHeight + pad);
        figure.Text(title, width / 2.0, pad, Alignment.UpperCenter, ChartStyle.TitleSize, bold: true);

        for (int t = 0; t < tables.Length; t++)
        {
            int left = pad + t * (tableWidth + 2 * pad), textLeft = left + pairWidth + pad;
            figure.Text(tables[t].Name, left, titleHeight, Alignment.UpperLeft, bold: true);
            int captionTop = titleHeight + (int)ChartStyle.TextSize + pad / 2;
            figure.Text("input", left + ImageGrid.SeparatorPixels + cellWidth / 2.0, captionTop, Alignment.UpperCenter, ChartStyle.SmallTextSize);
            figure.Text("output", left + 2 * ImageGrid.SeparatorPixels + 1.5 * cellWidth, captionTop, Alignment.UpperCenter, ChartStyle.SmallTextSize);
            figure.Text("score, file", textLeft, captionTop, Alignment.UpperLeft, ChartStyle.SmallTextSize);
            for (int row = 0; row < shown; row++)
            {
                int rank = tables[t].Ranks[row], top = titleHeight + headerHeight + row * rowHeight;
                figure.Image(Pair(order[rank]), left, top);
                figure.Text(Score(rank), textLeft, top + pairHeight / 2.0, Alignment.LowerLeft, ChartStyle.SmallTextSize, bold: true);
                figure.Text(Shown(rank), textLeft, top + pairHeight / 2.0, Alignment.UpperLeft, ChartStyle.SmallTextSize);
            }
        }

        return figure.Chart;
    }
}
