namespace VulkanAE.Plots;

/// <summary>
/// One named curve of a <see cref="LineChart"/>, drawn in <see cref="Palette.Tab10"/>[<paramref name="Colour"/>];
/// a NaN or infinite point breaks the curve there, as a diverged epoch should.
/// </summary>
/// <param name="Light">
/// A thin line with open markers: tells apart curves that share a colour (one configuration's train loss beside its
/// test loss) and marks a reference line such as chance. (Not dashes: Skia's SVG output drops them.)
/// </param>
internal sealed record Series(string Name, IReadOnlyList<(double X, double Y)> Points, int Colour, bool Light = false);
