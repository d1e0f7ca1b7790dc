using VulkanAE.IO;

namespace VulkanAE.Plots;

/// <summary>
/// Named curves of (x, y) points on shared axes, e.g. train and test loss per epoch, each series in its own
/// <see cref="Palette.Tab10"/> colour, with a legend to the right of the plot so it never covers a curve.
/// </summary>
internal sealed class LineChart
{
    public const int LineThickness = 2;

    public const int MarkerRadius = 3;

    /// <summary>Points are marked only while markers this far apart on average stay separate dots instead of a band.</summary>
    private const int MinimumMarkerSpacing = 10;

    private readonly IReadOnlyList<Series> _series;

    public LineChart(string title, string xLabel, string yLabel, IReadOnlyList<Series> series, int width = 800, int height = 500)
    {
        ArgumentOutOfRangeException.ThrowIfZero(series.Count);
        if (series.Count > Palette.Tab10.Count)
        {
            throw new ArgumentException($"{series.Count} series, but only {Palette.Tab10.Count} colours tell series apart", nameof(series));
        }

        _series = series;
        var legend = Legend.ForLines(series.Select((curve, index) => (curve.Name, Colour(index))).ToArray());
        // A point with one finite coordinate is not drawn, so that coordinate must not stretch the axes either.
        (double X, double Y)[] finite = series.SelectMany(curve => curve.Points).Where(IsFinite).ToArray();
        Frame = new ChartFrame(width, height, title, xLabel, yLabel, finite.Select(point => point.X), finite.Select(point => point.Y), legend);
    }

    public ChartFrame Frame { get; }

    /// <summary>The colour of series <paramref name="index"/>, in the order given to the constructor.</summary>
    public static Rgb Colour(int index) => Palette.Tab10[index];

    public RasterImage Render()
    {
        Canvas canvas = Frame.CreateCanvas();
        for (int index = 0; index < _series.Count; index++)
        {
            DrawSeries(canvas, _series[index].Points, Colour(index));
        }

        return canvas.ToRasterImage();
    }

    /// <summary>Joins consecutive finite points; a NaN or infinite point breaks the curve, as a diverged epoch should.</summary>
    private void DrawSeries(Canvas canvas, IReadOnlyList<(double X, double Y)> points, Rgb colour)
    {
        bool marked = points.Count * MinimumMarkerSpacing <= Frame.Right - Frame.Left;
        (int X, int Y)? previous = null;
        foreach ((double X, double Y) point in points)
        {
            if (!IsFinite(point))
            {
                previous = null;
                continue;
            }

            (int X, int Y) pixel = Frame.ToPixel(point.X, point.Y);
            if (previous is { } start)
            {
                canvas.Line(start.X, start.Y, pixel.X, pixel.Y, colour, LineThickness);
            }

            if (marked)
            {
                canvas.Disc(pixel.X, pixel.Y, MarkerRadius, colour);
            }

            previous = pixel;
        }
    }

    private static bool IsFinite((double X, double Y) point) => double.IsFinite(point.X) && double.IsFinite(point.Y);
}
