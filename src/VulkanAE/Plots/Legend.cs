namespace VulkanAE.Plots;

/// <summary>A boxed list of names, each after a sample of how its data is drawn: a line segment or a disc.</summary>
internal sealed class Legend
{
    private const int SwatchWidth = 24;

    private const int DiscRadius = 3;

    private readonly IReadOnlyList<(string Name, Rgb Colour)> _entries;

    private readonly bool _linesNotDiscs;

    private Legend(IReadOnlyList<(string Name, Rgb Colour)> entries, bool linesNotDiscs)
    {
        _entries = entries;
        _linesNotDiscs = linesNotDiscs;
        int longestName = entries.Max(entry => BitmapFont.MeasureWidth(entry.Name, ChartStyle.TextScale));
        Width = 2 * ChartStyle.Padding + SwatchWidth + ChartStyle.Padding / 2 + longestName;
        // Half a padding above the first row and below the last; RowHeight already holds half a padding between rows.
        Height = entries.Count * RowHeight + ChartStyle.Padding / 2;
    }

    public int Width { get; }

    public int Height { get; }

    private static int RowHeight => BitmapFont.MeasureHeight(ChartStyle.TextScale) + ChartStyle.Padding / 2;

    public static Legend ForLines(IReadOnlyList<(string Name, Rgb Colour)> entries) => new(entries, linesNotDiscs: true);

    public static Legend ForDiscs(IReadOnlyList<(string Name, Rgb Colour)> entries) => new(entries, linesNotDiscs: false);

    public void Draw(Canvas canvas, int left, int top)
    {
        canvas.FilledRectangle(left, top, Width, Height, ChartStyle.Background);
        canvas.Rectangle(left, top, Width, Height, ChartStyle.AxisLines);
        for (int index = 0; index < _entries.Count; index++)
        {
            (string name, Rgb colour) = _entries[index];
            int rowTop = top + ChartStyle.Padding / 2 + index * RowHeight;
            int swatchY = rowTop + BitmapFont.CapitalMiddle(ChartStyle.TextScale);
            int swatchLeft = left + ChartStyle.Padding;
            if (_linesNotDiscs)
            {
                canvas.Line(swatchLeft, swatchY, swatchLeft + SwatchWidth - 2, swatchY, colour, LineChart.LineThickness);
            }
            else
            {
                canvas.Disc(swatchLeft + SwatchWidth / 2, swatchY, DiscRadius, colour);
            }

            canvas.DrawText(swatchLeft + SwatchWidth + ChartStyle.Padding / 2, rowTop, name, ChartStyle.Text, ChartStyle.TextScale);
        }
    }
}
