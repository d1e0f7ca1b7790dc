using ScottPlot;
using VulkanAE.IO;

namespace VulkanAE.Plots;

/// <summary>Charts side by side in one figure (ScottPlot's multiplot), written like a <see cref="Chart"/>: a PNG and an SVG beside it.</summary>
internal sealed class ChartRow(IReadOnlyList<Chart> charts) : IDisposable
{
    public IReadOnlyList<string> Write(string pngPath)
    {
        var multiplot = new Multiplot();
        multiplot.Reset(charts[0].Plot); // a new multiplot holds an empty plot of its own
        foreach (var chart in charts.Skip(1)) multiplot.AddPlot(chart.Plot);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        int width = charts.Sum(c => c.Width), height = charts.Max(c => c.Height);
        RunFile.Write(pngPath, file =>
        {
            using var surface = SkiaSharp.SKSurface.Create(new SkiaSharp.SKImageInfo(width, height));
            multiplot.Render(surface.Canvas, new PixelRect(0, width, height, 0));
            using var image = surface.Snapshot();
            using var png = image.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
            png.SaveTo(file);
        });
        string svgPath = Chart.SvgPath(pngPath);
        RunFile.Write(svgPath, file =>
        {
            using var svg = SkiaSharp.SKSvgCanvas.Create(new SkiaSharp.SKRect(0, 0, width, height), file);
            multiplot.Render(svg, new PixelRect(0, width, height, 0));
        });
        return [pngPath, svgPath];
    }

    public void Dispose()
    {
        foreach (var chart in charts) chart.Dispose();
    }
}
