namespace VulkanAE.Plots;

/// <summary>
/// What every chart has around its data: a title on top, the y label and tick labels on the left, the x label and tick
/// labels below, the legend on the right (outside the data, so it never covers any), and in the middle the plot area,
/// where <see cref="ToPixel"/> maps data values to pixels.
/// </summary>
internal sealed class ChartFrame
{
    /// <summary>Below this a chart has no room for readable ticks; a caller asking for less has a bug.</summary>
    private const int MinimumPlotSize = 60;

    /// <summary>Three to ten ticks per axis, at least <see cref="MinimumTickSpacing"/> pixels apart, so grid lines do not crowd the data.</summary>
    private const int MinTicks = 3;

    private const int MaxTicks = 10;

    private const int MinimumTickSpacing = 40;

    private static readonly int TextHeight = BitmapFont.MeasureHeight(ChartStyle.TextScale);

    private readonly int _width;
    private readonly int _height;
    private readonly string _title;
    private readonly string _xLabel;
    private readonly string _yLabel;
    private readonly Legend _legend;

    /// <param name="xValues">The x of every point to show (and <paramref name="yValues"/> their y); non-finite values are ignored.</param>
    public ChartFrame(int width, int height, string title, string xLabel, string yLabel, IEnumerable<double> xValues, IEnumerable<double> yValues, Legend legend)
    {
        _width = width;
        _height = height;
        _title = title;
        _xLabel = xLabel;
        _yLabel = yLabel;
        _legend = legend;
        Top = ChartStyle.Padding + BitmapFont.MeasureHeight(ChartStyle.TitleScale) + ChartStyle.Padding;
        int tickLabelsHeight = ChartStyle.TickLength + ChartStyle.Padding / 2 + TextHeight;
        int xLabelHeight = ChartStyle.Padding + TextHeight + ChartStyle.Padding;
        Bottom = height - 1 - tickLabelsHeight - xLabelHeight;
        RequireRoom(Bottom - Top, "height", width, height);
        Y = AxisScale.Fit(yValues, TickCount(Bottom - Top));

        int widestYLabel = Y.Ticks.Max(tick => BitmapFont.MeasureWidth(Y.Format(tick), ChartStyle.TextScale));
        Left = ChartStyle.Padding + TextHeight + ChartStyle.Padding + widestYLabel + ChartStyle.Padding / 2 + ChartStyle.TickLength;
        Right = width - 1 - ChartStyle.Padding - legend.Width - ChartStyle.Padding;
        RequireRoom(Right - Left, "width", width, height);
        X = FitXLabelsSideBySide(xValues.ToArray(), Right - Left);
    }

    /// <summary>Pixel columns Left..Right and rows Top..Bottom (all included) show the axes' ranges; the frame is drawn on them.</summary>
    public int Left { get; }

    public int Right { get; }

    public int Top { get; }

    public int Bottom { get; }

    public AxisScale X { get; }

    public AxisScale Y { get; }

    /// <summary>The pixel showing data point (x, y), rounded to the nearest: y grows upwards on the chart, downwards on the canvas.</summary>
    public (int X, int Y) ToPixel(double x, double y) =>
        ((int)Math.Round(Left + (x - X.Min) / (X.Max - X.Min) * (Right - Left)),
         (int)Math.Round(Bottom - (y - Y.Min) / (Y.Max - Y.Min) * (Bottom - Top)));

    /// <summary>A canvas of the chart's size with everything but the data drawn; the chart then draws its data over the grid.</summary>
    public Canvas CreateCanvas()
    {
        var canvas = new Canvas(_width, _height, ChartStyle.Background);
        foreach (double tick in X.Ticks)
        {
            int x = ToPixel(tick, Y.Min).X;
            canvas.Line(x, Top, x, Bottom, ChartStyle.Grid);
            canvas.Line(x, Bottom, x, Bottom + ChartStyle.TickLength, ChartStyle.AxisLines);
            string label = X.Format(tick);
            canvas.DrawText(x - BitmapFont.MeasureWidth(label, ChartStyle.TextScale) / 2, Bottom + ChartStyle.TickLength + ChartStyle.Padding / 2, label, ChartStyle.Text, ChartStyle.TextScale);
        }

        foreach (double tick in Y.Ticks)
        {
            int y = ToPixel(X.Min, tick).Y;
            canvas.Line(Left, y, Right, y, ChartStyle.Grid);
            canvas.Line(Left - ChartStyle.TickLength, y, Left, y, ChartStyle.AxisLines);
            string label = Y.Format(tick);
            int labelRight = Left - ChartStyle.TickLength - ChartStyle.Padding / 2;
            canvas.DrawText(labelRight - BitmapFont.MeasureWidth(label, ChartStyle.TextScale), y - BitmapFont.CapitalMiddle(ChartStyle.TextScale), label, ChartStyle.Text, ChartStyle.TextScale);
        }

        canvas.Rectangle(Left, Top, Right - Left + 1, Bottom - Top + 1, ChartStyle.AxisLines);

        int centerX = (Left + Right) / 2;
        canvas.DrawText(centerX - BitmapFont.MeasureWidth(_title, ChartStyle.TitleScale) / 2, ChartStyle.Padding, _title, ChartStyle.Text, ChartStyle.TitleScale);
        canvas.DrawText(centerX - BitmapFont.MeasureWidth(_xLabel, ChartStyle.TextScale) / 2, _height - ChartStyle.Padding - TextHeight, _xLabel, ChartStyle.Text, ChartStyle.TextScale);
        canvas.DrawTextVertical(ChartStyle.Padding, (Top + Bottom - BitmapFont.MeasureWidth(_yLabel, ChartStyle.TextScale)) / 2, _yLabel, ChartStyle.Text, ChartStyle.TextScale);
        _legend.Draw(canvas, Right + ChartStyle.Padding, Top);
        return canvas;
    }

    private static int TickCount(int pixels) => Math.Clamp(pixels / MinimumTickSpacing + 1, MinTicks, MaxTicks);

    /// <summary>
    /// X tick labels are centred under their ticks, so long labels (0.0025, 1.5E+6) need fewer ticks than short
    /// ones: take the most ticks whose labels keep at least two characters of space between neighbours.
    /// </summary>
    private static AxisScale FitXLabelsSideBySide(double[] xValues, int plotWidth)
    {
        int minimumGap = 2 * BitmapFont.CellWidth * ChartStyle.TextScale;
        for (int maxTicks = TickCount(plotWidth); ; maxTicks--)
        {
            AxisScale scale = AxisScale.Fit(xValues, maxTicks);
            int widestLabel = scale.Ticks.Max(tick => BitmapFont.MeasureWidth(scale.Format(tick), ChartStyle.TextScale));
            double tickSpacing = scale.Step / (scale.Max - scale.Min) * plotWidth;
            if (maxTicks == MinTicks || widestLabel + minimumGap <= tickSpacing)
            {
                return scale;
            }
        }
    }

    private static void RequireRoom(int plotPixels, string dimension, int width, int height)
    {
        if (plotPixels < MinimumPlotSize)
        {
            throw new ArgumentException($"a {width}x{height} chart leaves a plot {dimension} of {plotPixels} pixels once titles, labels and legend are placed; at least {MinimumPlotSize} are needed");
        }
    }
}
