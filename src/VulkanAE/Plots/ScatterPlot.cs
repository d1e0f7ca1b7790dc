using ScottPlot;

namespace VulkanAE.Plots;

/// <summary>Points coloured by class, e.g. the 2-D latent means of a test set coloured by digit, with a legend of class names.</summary>
internal static class ScatterPlot
{
    /// <summary>Small and slightly transparent: ten thousand points still show the shape and overlap of each cluster.</summary>
    private const float PointSize = 4;

    private const double PointOpacity = 0.7;

    private const float LegendPointSize = 10;

    /// <param name="classes">The class of each point, an index into <paramref name="classNames"/>.</param>
    /// <param name="classNames">Legend names, at most <see cref="Palette.Tab10"/>'s ten colours' worth.</param>
    public static Chart Create(string title, ChartAxis x, ChartAxis y, ReadOnlySpan<float> xs, ReadOnlySpan<float> ys, ReadOnlySpan<int> classes,
        IReadOnlyList<string> classNames, int width = 800, int height = 700)
    {
        if (xs.Length != ys.Length || xs.Length != classes.Length)
        {
            throw new ArgumentException($"{xs.Length} x values, {ys.Length} y values and {classes.Length} classes: one of each per point is needed");
        }

        if (classNames.Count is 0 || classNames.Count > Palette.Tab10.Count)
        {
            throw new ArgumentException($"{classNames.Count} class names: 1 to {Palette.Tab10.Count} classes can be told apart by colour", nameof(classNames));
        }

        int outOfRange = classes.IndexOfAnyExceptInRange(0, classNames.Count - 1);
        if (outOfRange >= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(classes), $"point {outOfRange} has class {classes[outOfRange]}, but there are {classNames.Count} class names");
        }

        var pointsOfClass = Enumerable.Range(0, classNames.Count).Select(_ => new List<Coordinates>()).ToArray();
        for (int i = 0; i < xs.Length; i++)
        {
            if (float.IsFinite(xs[i]) && float.IsFinite(ys[i])) pointsOfClass[classes[i]].Add(new Coordinates(xs[i], ys[i]));
        }

        var chart = new Chart(width, height);
        for (int c = 0; c < classNames.Count; c++)
        {
            chart.Plot.Add.Markers(pointsOfClass[c], MarkerShape.FilledCircle, PointSize, ChartStyle.Colour(c).WithOpacity(PointOpacity));
            // The legend's own entries: a point's size would be too small to tell the colours apart there.
            chart.Plot.Legend.ManualItems.Add(new LegendItem
            {
                LabelText = classNames[c], MarkerShape = MarkerShape.FilledCircle, MarkerSize = LegendPointSize, MarkerColor = ChartStyle.Colour(c),
            });
        }

        chart.Frame(title, x, y);
        return chart;
    }
}
