using VulkanAE.IO;
using VulkanAE.Plots;

namespace VulkanAE.Tests.Plots;

[TestFixture]
public class ScatterPlotTests
{
    private static readonly string[] Digits = Enumerable.Range(0, 10).Select(d => d.ToString()).ToArray();

    [Test]
    public void Render_DrawsEachPointInItsClassColour()
    {
        float[] xs = [-2f, 0f, 3f, 1f];
        float[] ys = [1f, -1.5f, 2f, 0f];
        int[] classes = [0, 3, 9, 3];
        var plot = new ScatterPlot("Latent space", "z0", "z1", xs, ys, classes, Digits);

        RasterImage image = plot.Render();

        Assert.That((image.Width, image.Height, image.Channels), Is.EqualTo((800, 700, 3)));
        for (int i = 0; i < xs.Length; i++)
        {
            (int x, int y) = plot.Frame.ToPixel(xs[i], ys[i]);
            Assert.That(ImagePixels.At(image, x, y), Is.EqualTo(ScatterPlot.Colour(classes[i])), $"point {i}");
            Assert.That(ImagePixels.At(image, x + ScatterPlot.MarkerRadius, y + ScatterPlot.MarkerRadius), Is.EqualTo(ScatterPlot.Colour(classes[i])));
        }
    }

    [Test]
    public void Colours_AreTenDistinctTab10Hues()
    {
        var colours = Enumerable.Range(0, 10).Select(ScatterPlot.Colour).ToArray();

        Assert.That(colours.Distinct().Count(), Is.EqualTo(10));
        Assert.That(colours[0], Is.EqualTo(new Rgb(0x1f, 0x77, 0xb4)), "matplotlib's tab:blue");
        Assert.That(colours[9], Is.EqualTo(new Rgb(0x17, 0xbe, 0xcf)), "matplotlib's tab:cyan");
    }

    [Test]
    public void OverlappingPoints_LaterOneIsOnTop()
    {
        var plot = new ScatterPlot("overlap", "x", "y", [0f, 0f, 1f], [0f, 0f, 1f], [2, 5, 2], Digits);

        RasterImage image = plot.Render();

        (int x, int y) = plot.Frame.ToPixel(0, 0);
        Assert.That(ImagePixels.At(image, x, y), Is.EqualTo(ScatterPlot.Colour(5)));
    }

    [Test]
    public void Legend_ListsEveryClassName_RightOfThePlot()
    {
        string[] names = ["cat", "dog", "ship"];
        var plot = new ScatterPlot("Latent space", "z0", "z1", [0f, 1f], [0f, 1f], [0, 2], names);

        RasterImage image = plot.Render();

        foreach (string name in names)
        {
            Assert.That(ImagePixels.FindText(image, name, minimumX: plot.Frame.Right), Is.Not.Null, name);
        }

        Assert.That(ImagePixels.Find(image, ScatterPlot.Colour(1)).Select(p => p.X), Is.Not.Empty.And.All.GreaterThan(plot.Frame.Right),
            "a class without points shows in the legend only");
    }

    [Test]
    public void NonFinitePoints_AreSkipped_AndLeaveTheAxesAlone()
    {
        var plot = new ScatterPlot("s", "x", "y", [1f, float.NaN, 2f, 1e30f * 1e30f], [1f, 5f, 2f, 0f], [0, 1, 0, 1], Digits);

        plot.Render();

        Assert.That((plot.Frame.X.Min, plot.Frame.X.Max), Is.EqualTo((0.95, 2.05)).Within(1e-12));
        Assert.That((plot.Frame.Y.Min, plot.Frame.Y.Max), Is.EqualTo((0.95, 2.05)).Within(1e-12));
    }

    [Test]
    public void TenThousandPoints_RenderTheSameTwice()
    {
        var random = new Random(7);
        float[] xs = Enumerable.Range(0, 10_000).Select(_ => (float)random.NextDouble() * 8 - 4).ToArray();
        float[] ys = Enumerable.Range(0, 10_000).Select(_ => (float)random.NextDouble() * 6 - 3).ToArray();
        int[] classes = Enumerable.Range(0, 10_000).Select(i => i % 10).ToArray();

        RasterImage first = new ScatterPlot("z", "z0", "z1", xs, ys, classes, Digits).Render();
        RasterImage second = new ScatterPlot("z", "z0", "z1", xs, ys, classes, Digits).Render();

        Assert.That(second.Pixels, Is.EqualTo(first.Pixels));
        Assert.That(Png.Decode(Png.Encode(first)).Pixels, Is.EqualTo(first.Pixels));
    }

    [Test]
    public void MismatchedLengths_AreRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new ScatterPlot("s", "x", "y", [1f, 2f], [1f], [0, 0], Digits))!;

        Assert.That(error.Message, Does.Contain("2 x values, 1 y values and 2 classes"));
    }

    [Test]
    public void ClassWithoutAName_IsRejected()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ScatterPlot("s", "x", "y", [1f, 2f], [1f, 2f], [0, 3], ["a", "b"]))!;

        Assert.That(error.Message, Does.Contain("point 1 has class 3, but there are 2 class names"));
    }

    [Test]
    public void MoreClassesThanColours_AreRejected()
    {
        string[] eleven = Enumerable.Range(0, 11).Select(i => $"c{i}").ToArray();

        Assert.Throws<ArgumentException>(() => new ScatterPlot("s", "x", "y", [1f], [1f], [0], eleven));
    }
}
