using ScottPlot;
using VulkanAE.IO;

namespace VulkanAE.Plots;

/// <summary>
/// A figure laid out in pixels under a title: images placed at their own size (never resampled, so digits stay sharp)
/// and text beside them. For pictures of images that need words: row names, scores, file names. Positions are in
/// pixels from the top-left corner of the content, x right and y down; the figure adds the title and a margin.
/// </summary>
internal sealed class ImageFigure
{
    private const int Margin = ChartStyle.Padding;

    private readonly int _top;

    /// <param name="contentWidth">Pixels the content spans; the figure is wider when the title is.</param>
    public ImageFigure(string title, int contentWidth, int contentHeight)
    {
        int width = Math.Max(contentWidth, (int)Math.Ceiling(ChartStyle.MeasureWidth(title, ChartStyle.TitleSize, bold: true))) + 2 * Margin;
        _top = (int)Math.Ceiling(ChartStyle.TitleSize) + 2 * Margin;
        Chart = new Chart(width, _top + contentHeight + Margin);
        Chart.Plot.Layout.Frameless();
        Chart.Plot.HideGrid();
        // One unit a pixel, the y axis inverted so that it grows downwards.
        Chart.Plot.Axes.SetLimits(0, width, Chart.Height, 0);
        AddText(title, width / 2.0, Margin, Alignment.UpperCenter, ChartStyle.TitleSize, bold: true);
    }

    public Chart Chart { get; }

    /// <summary>Where the content's top-left corner lies in the figure.</summary>
    public (int X, int Y) Origin => (Margin, _top);

    public void Image(RasterImage image, int left, int top)
    {
        (left, top) = (left + Margin, top + _top);
        var placed = Chart.Plot.Add.ImageRect(Chart.Own(ToScottPlot(image)), new CoordinateRect(left, left + image.Width, top + image.Height, top));
        placed.AntiAlias = false;
    }

    public void Text(string text, double x, double y, Alignment alignment, float size = ChartStyle.TextSize, bool bold = false) =>
        AddText(text, x + Margin, y + _top, alignment, size, bold);

    /// <summary>
    /// <paramref name="grid"/> (an <see cref="ImageGrid"/> of equal rows) under a title, each row named at its left:
    /// test images above their reconstructions, noisy inputs above what a denoiser made of them.
    /// </summary>
    public static Chart WithRowNames(string title, RasterImage grid, IReadOnlyList<string> rowNames)
    {
        int namesWidth = (int)Math.Ceiling(rowNames.Max(name => ChartStyle.MeasureWidth(name, ChartStyle.TextSize))) + Margin;
        var figure = new ImageFigure(title, namesWidth + grid.Width, grid.Height);
        figure.Image(grid, namesWidth, 0);
        int rowPitch = (grid.Height - ImageGrid.SeparatorPixels) / rowNames.Count;
        for (int row = 0; row < rowNames.Count; row++)
        {
            double middle = ImageGrid.SeparatorPixels + row * rowPitch + (rowPitch - ImageGrid.SeparatorPixels) / 2.0;
            figure.Text(rowNames[row], namesWidth - Margin, middle, Alignment.MiddleRight);
        }

        return figure.Chart;
    }

    /// <summary>
    /// <paramref name="image"/> as the plot of a chart whose axes give the coordinates it spans, from its left edge to its
    /// right and from its bottom edge to its top, one image pixel a screen pixel: a decoded grid over a latent space
    /// framed by the z values it was decoded from.
    /// </summary>
    public static Chart OnAxes(RasterImage image, string title, ChartAxis x, ChartAxis y, (double Low, double High) xSpan, (double Low, double High) ySpan)
    {
        // Room for tick labels and the axis label left and below, the title above; wider sides if the title is wider than the image.
        const int left = 80, right = 24, bottom = 64, top = 48;
        int titleWidth = (int)Math.Ceiling(ChartStyle.MeasureWidth(title, ChartStyle.TitleSize, bold: true)) + 2 * ChartStyle.Padding;
        int widen = Math.Max(0, titleWidth - image.Width) / 2;
        var chart = new Chart(left + widen + image.Width + right + widen, top + image.Height + bottom);
        chart.Plot.Layout.Fixed(new PixelPadding(left + widen, right + widen, bottom, top));
        var extent = new CoordinateRect(xSpan.Low, xSpan.High, ySpan.Low, ySpan.High);
        var placed = chart.Plot.Add.ImageRect(chart.Own(ToScottPlot(image)), extent);
        placed.AntiAlias = false;
        chart.Frame(title, x, y);
        chart.Plot.Axes.SetLimits(extent);
        chart.Plot.HideGrid();
        // The frame lines would cover the image's outer pixels; its own edge frames it.
        chart.Plot.Axes.Frame(false);
        return chart;
    }

    private void AddText(string text, double x, double y, Alignment alignment, float size, bool bold)
    {
        var label = Chart.Plot.Add.Text(text, x, y);
        label.Alignment = alignment;
        label.LabelFontName = ChartStyle.Font;
        label.LabelFontSize = size;
        label.LabelBold = bold;
    }

    /// <summary>A gray or RGB image as the RGB array ScottPlot takes, [row, column, channel].</summary>
    private static ScottPlot.Image ToScottPlot(RasterImage image)
    {
        if (image.Channels is 2 or 4)
        {
            throw new ArgumentException($"a {image.Channels}-channel image: figures show gray or RGB images", nameof(image));
        }

        var rgb = new byte[image.Height, image.Width, 3];
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                int pixel = (y * image.Width + x) * image.Channels;
                for (int c = 0; c < 3; c++)
                {
                    rgb[y, x, c] = image.Pixels[pixel + (image.Channels == 1 ? 0 : c)];
                }
            }
        }

        return new ScottPlot.Image(rgb);
    }
}
