using ScottPlot;

namespace VulkanAE.Plots;

/// <summary>Named curves of (x, y) points on shared axes: losses per epoch, a ROC curve, a PCA spectrum.</summary>
internal static class LineChart
{
    /// <summary>A series of at most this many points has each one marked (an epoch, a component); a ROC curve's steps are not.</summary>
    private const int MaxMarkedPoints = 60;

    /// <param name="right">Curves of another unit (a learning rate beside losses), on an axis of their own at the right.</param>
    public static Chart Create(string title, ChartAxis x, ChartAxis y, IReadOnlyList<Series> series, int width = 800, int height = 500,
        (string Label, IReadOnlyList<Series> Series)? right = null)
    {
        var chart = new Chart(width, height);
        foreach (var curve in series) Add(chart, curve);
        if (right is (string label, var rightSeries))
        {
            foreach (var curve in rightSeries) Add(chart, curve).Axes.YAxis = chart.Plot.Axes.Right;
            chart.Plot.Axes.Right.Label.Text = label;
            chart.Plot.Axes.Right.Label.FontSize = ChartStyle.TextSize;
            chart.Plot.Axes.Right.Label.FontName = ChartStyle.Font;
            chart.Plot.Axes.Right.TickLabelStyle.FontName = ChartStyle.Font;
        }

        chart.Frame(title, x, y);
        return chart;
    }

    private static ScottPlot.Plottables.Scatter Add(Chart chart, Series curve)
    {
        // ScottPlot leaves a gap at NaN; an infinity would stretch the axes instead.
        double[] xs = curve.Points.Select(point => FiniteOrNaN(point.X)).ToArray();
        double[] ys = curve.Points.Select(point => FiniteOrNaN(point.Y)).ToArray();
        var line = chart.Plot.Add.Scatter(xs, ys, ChartStyle.Colour(curve.Colour));
        line.LegendText = curve.Name;
        line.LineWidth = curve.Light ? ChartStyle.LineWidth / 2 : ChartStyle.LineWidth;
        line.MarkerSize = curve.Points.Count <= MaxMarkedPoints ? ChartStyle.MarkerSize : 0;
        line.MarkerShape = curve.Light ? MarkerShape.OpenCircle : MarkerShape.FilledCircle;
        return line;
    }

    private static double FiniteOrNaN(double value) => double.IsFinite(value) ? value : double.NaN;
}
