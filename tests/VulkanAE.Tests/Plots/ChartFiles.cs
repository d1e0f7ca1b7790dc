using System.Xml.Linq;
using VulkanAE.IO;
using VulkanAE.Plots;

namespace VulkanAE.Tests.Plots;

/// <summary>A chart written to a temporary folder and read back: its PNG decoded (<see cref="Picture"/>), its SVG parsed.</summary>
internal sealed record ChartFiles(RasterImage Picture, XDocument Svg)
{
    private static readonly XNamespace SvgNamespace = "http://www.w3.org/2000/svg";

    /// <summary>Writes <paramref name="chart"/> (and disposes it) and reads both files back; throws if either is missing or unreadable.</summary>
    public static ChartFiles Write(Chart chart, string name = "chart.png")
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("chart").FullName, name);
        using (chart) Assert.That(chart.Write(path), Is.EqualTo(new[] { path, Chart.SvgPath(path) }));
        return Read(path);
    }

    /// <summary>The PNG at <paramref name="pngPath"/> and the SVG beside it; throws if either is missing or unreadable.</summary>
    public static ChartFiles Read(string pngPath) => new(Png.Read(pngPath), XDocument.Load(Chart.SvgPath(pngPath)));

    /// <summary>The text of every SVG text element, whitespace trimmed: titles, labels, tick labels, legend entries.</summary>
    public IReadOnlyList<string> Texts => Svg.Descendants(SvgNamespace + "text").Select(text => text.Value.Trim()).ToArray();

    /// <summary>Bitmaps embedded in the SVG.</summary>
    public int Images => Svg.Descendants(SvgNamespace + "image").Count();
}
