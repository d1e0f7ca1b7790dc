using VulkanAE.IO;

namespace VulkanAE.Plots;

/// <summary>
/// Points coloured by class, e.g. the 2-D latent means of a test set coloured by digit, with a legend of class names
/// to the right of the plot. Points are drawn in the order given, later ones over earlier ones, so the picture
/// depends only on the input.
/// </summary>
internal sealed class ScatterPlot
{
    /// <summary>3x3-pixel markers: ten thousand points still show the shape of each cluster instead of one blot.</summary>
    public const int MarkerRadius = 1;

    private readonly float[] _xs;
    private readonly float[] _ys;
    private readonly int[] _classes;

    /// <param name="classes">The class of each point, an index into <paramref name="classNames"/>.</param>
    /// <param name="classNames">Legend names, at most <see cref="Palette.Tab10"/>'s ten colours' worth.</param>
    public ScatterPlot(string title, string xLabel, string yLabel, ReadOnlySpan<float> xs, ReadOnlySpan<float> ys, ReadOnlySpan<int> classes,
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

        _xs = xs.ToArray();
        _ys = ys.ToArray();
        _classes = classes.ToArray();
        var legend = Legend.ForDiscs(classNames.Select((name, index) => (name, Colour(index))).ToArray());
        IEnumerable<int> finite = Enumerable.Range(0, _xs.Length).Where(IsFinite);
        Frame = new ChartFrame(width, height, title, xLabel, yLabel, finite.Select(i => (double)_xs[i]), finite.Select(i => (double)_ys[i]), legend);
    }

    public ChartFrame Frame { get; }

    public static Rgb Colour(int classIndex) => Palette.Tab10[classIndex];

    public RasterImage Render()
    {
        Canvas canvas = Frame.CreateCanvas();
        for (int i = 0; i < _xs.Length; i++)
        {
            if (IsFinite(i))
            {
                (int x, int y) = Frame.ToPixel(_xs[i], _ys[i]);
                canvas.Disc(x, y, MarkerRadius, Colour(_classes[i]));
            }
        }

        return canvas.ToRasterImage();
    }

    private bool IsFinite(int point) => float.IsFinite(_xs[point]) && float.IsFinite(_ys[point]);
}
