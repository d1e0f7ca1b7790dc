namespace VulkanAE.Plots;

/// <summary>Colours for series and classes, the same in the charts and in the GPU viewer's scatter panel.</summary>
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

    /// <summary>Index of the gray of <see cref="Tab10"/>: reference lines (chance, bounds) that are not data.</summary>
    public const int Gray = 7;
}
