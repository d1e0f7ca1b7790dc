using ScottPlot;

namespace VulkanAE.Plots;

/// <summary>What every chart shares: the font, the colours of <see cref="Palette.Tab10"/>, line and text sizes.</summary>
internal static class ChartStyle
{
    public const float TitleSize = 18;

    public const float TextSize = 14;

    /// <summary>Captions under or beside images, where space is a cell's width.</summary>
    public const float SmallTextSize = 12;

    public const float LineWidth = 2;

    public const float MarkerSize = 7;

    /// <summary>Blank space in pixels around blocks of a figure: borders, between a label and its image.</summary>
    public const int Padding = 12;

    /// <summary>
    /// Sans-serif families of Windows, macOS and Linux; the first one installed is used. ScottPlot's own pick falls back
    /// to a serif face where Skia runs without fontconfig (the NoDependencies native assets), so it is chosen here.
    /// </summary>
    private static readonly string[] SansFamilies = ["Segoe UI", "Helvetica", "DejaVu Sans", "Liberation Sans", "Arial"];

    public static string Font { get; } = SansFamilies.FirstOrDefault(family => Fonts.GetTypeface(family, bold: false, italic: false)?.FamilyName == family) ?? Fonts.Default;

    public static Color Colour(int index)
    {
        Rgb colour = Palette.Tab10[index];
        return new Color(colour.R, colour.G, colour.B);
    }

    /// <summary>Width in pixels of <paramref name="text"/> drawn in the chart font.</summary>
    public static float MeasureWidth(string text, float size, bool bold = false)
    {
        var style = new LabelStyle { FontName = Font, FontSize = size, Bold = bold };
        using var paint = Paint.NewDisposablePaint();
        return style.Measure(text, paint).Width;
    }
}
