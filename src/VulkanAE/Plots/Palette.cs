namespace VulkanAE.Plots;

/// <summary>Colours for series and classes.</summary>
internal static class Palette
{
    /// <summary>
    /// matplotlib's "tab10" qualitative palette: ten hues chosen to stay distinguishable from each other,
    /// which is what ten digit classes in a latent-space scatter need.
    /// </summary>
    public static IReadOnlyList<Rgb> Tab10 { get; } =
    [
        new(31, 119, 180), // blue
        new(255, 127, 14), // orange
        new(44, 160, 44), // green
        new(214, 39, 40), // red
        new(148, 103, 189), // purple
        new(140, 86, 75), // brown
        new(227, 119, 194), // pink
        new(127, 127, 127), // gray
        new(188, 189, 34), // olive
        new(23, 190, 207), // cyan
    ];
}
