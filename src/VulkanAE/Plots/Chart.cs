using System.Text;
using ScottPlot;
using ScottPlot.TickGenerators;
using VulkanAE.IO;

namespace VulkanAE.Plots;

/// <summary>
/// A ScottPlot figure of a fixed size in pixels, written as a PNG and, beside it under the same name, an SVG: vector
/// lines and text for papers and slides (images inside a chart stay embedded bitmaps there).
/// </summary>
internal sealed class Chart : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    public Chart(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        Width = width;
        Height = height;
    }

    public Plot Plot { get; } = new();

    public int Width { get; }

    public int Height { get; }

    /// <summary>Where <see cref="Write"/> puts the SVG of a chart written to <paramref name="pngPath"/>.</summary>
    public static string SvgPath(string pngPath) => Path.ChangeExtension(pngPath, ".svg");

    /// <summary>Writes the PNG to <paramref name="pngPath"/> and the SVG beside it; returns both paths.</summary>
    public IReadOnlyList<string> Write(string pngPath)
    {
        var files = Render(pngPath);
        foreach (var (path, content) in files) RunFile.WriteAllBytes(path, content);
        return [.. files.Select(f => f.Path)];
    }

    /// <summary>The PNG's bytes under <paramref name="pngPath"/> and the SVG's under <see cref="SvgPath"/>, for a caller that writes them with other files.</summary>
    public IReadOnlyList<(string Path, byte[] Content)> Render(string pngPath)
        => [(pngPath, Plot.GetImageBytes(Width, Height, ImageFormat.Png)), (SvgPath(pngPath), Encoding.UTF8.GetBytes(Plot.GetSvgXml(Width, Height)))];

    /// <summary>
    /// Title, axis labels and shown ranges for data already added: each axis shows the data (ScottPlot's autoscale)
    /// or, when it has <see cref="ChartAxis.MustShow"/>, that range joined with the data's. Named data gets a legend
    /// to the right of the plot, where it never covers a curve or a cluster.
    /// </summary>
    public void Frame(string title, ChartAxis x, ChartAxis y)
    {
        Plot.Title(title, ChartStyle.TitleSize);
        Plot.XLabel(x.Label, ChartStyle.TextSize);
        Plot.YLabel(y.Label, ChartStyle.TextSize);
        // Font by font rather than Plot.Font.Set, which would also take the bold off titles and labels.
        Plot.Axes.Title.Label.FontName = ChartStyle.Font;
        foreach (var axis in Plot.Axes.GetAxes())
        {
            axis.Label.FontName = ChartStyle.Font;
            axis.TickLabelStyle.FontName = ChartStyle.Font;
        }

        Plot.Legend.FontName = ChartStyle.Font;
        if (x.IntegerTicks) Plot.Axes.Bottom.TickGenerator = new NumericAutomatic { IntegerTicksOnly = true };
        if (y.IntegerTicks) Plot.Axes.Left.TickGenerator = new NumericAutomatic { IntegerTicksOnly = true };
        Plot.Axes.AutoScale();
        AxisLimits data = Plot.Axes.GetDataLimits();
        if (x.Range(data.Left, data.Right) is { } xRange) Plot.Axes.SetLimitsX(xRange.Low, xRange.High);
        if (y.Range(data.Bottom, data.Top) is { } yRange) Plot.Axes.SetLimitsY(yRange.Low, yRange.High);
        if (Plot.Legend.GetItems().Length > 0) Plot.ShowLegend(Edge.Right);
    }

    /// <summary>Disposes <paramref name="resource"/> (an image the plot draws, say) with the chart; returns it.</summary>
    public T Own<T>(T resource) where T : IDisposable
    {
        _owned.Add(resource);
        return resource;
    }

    public void Dispose()
    {
        Plot.Dispose();
        _owned.ForEach(resource => resource.Dispose());
    }
}
