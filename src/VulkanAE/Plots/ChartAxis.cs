namespace VulkanAE.Plots;

/// <summary>One axis of a chart: its label, whether ticks fall on integers only (epochs, component numbers), and a range it always shows.</summary>
/// <param name="MustShow">
/// Shown whatever the data, which can only widen it: [0, 1] for rates, [-3, 3] for a latent space whose prior is N(0, I),
/// so data that fills a small part of that range is seen to, instead of being stretched across the plot.
/// </param>
internal sealed record ChartAxis(string Label, bool IntegerTicks = false, (double Low, double High)? MustShow = null)
{
    /// <summary>Space beyond the shown range on each side, as a fraction of it, so markers on its ends stay whole.</summary>
    private const double Margin = 0.05;

    /// <summary>
    /// <see cref="MustShow"/> joined with the data's range (NaN bounds, as for no data, are ignored) and widened by the margin;
    /// null without <see cref="MustShow"/>, which leaves the range to ScottPlot's autoscale.
    /// </summary>
    public (double Low, double High)? Range(double dataLow, double dataHigh)
    {
        if (MustShow is not { } must) return null;
        (double low, double high) = must;
        if (double.IsFinite(dataLow)) low = Math.Min(low, dataLow);
        if (double.IsFinite(dataHigh)) high = Math.Max(high, dataHigh);
        double margin = (high - low) * Margin;
        return (low - margin, high + margin);
    }
}
