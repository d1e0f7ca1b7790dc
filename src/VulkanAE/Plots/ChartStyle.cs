namespace VulkanAE.Plots;

/// <summary>Colours, text sizes and spacing shared by every chart, so line charts and scatter plots match.</summary>
internal static class ChartStyle
{
    public static Rgb Background => Rgb.White;

    public static Rgb Text => Rgb.Gray(25);

    public static Rgb AxisLines => Rgb.Gray(70);

    /// <summary>Light enough that data drawn over it stays the dominant colour.</summary>
    public static Rgb Grid => Rgb.Gray(230);

    public const int TitleScale = 3;

    /// <summary>Axis labels, tick labels and legend entries.</summary>
    public const int TextScale = 2;

    /// <summary>Blank space around blocks: canvas border, between labels, inside the legend.</summary>
    public const int Padding = 12;

    public const int TickLength = 5;
}
