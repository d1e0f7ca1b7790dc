using VulkanAE.IO;
using VulkanAE.Plots;

namespace VulkanAE.Tests.Plots;

public class ImageFigureTests
{
    /// <summary>An RGB image whose every pixel differs from its neighbours, so finding it verbatim proves it was not resampled.</summary>
    private static RasterImage Pattern(int width, int height, int seed)
    {
        var pixels = new byte[width * height * 3];
        new Random(seed).NextBytes(pixels);
        return new RasterImage(width, height, 3, pixels);
    }

    /// <summary>Where <paramref name="part"/> appears pixel for pixel in <paramref name="whole"/> (RGB both), or null.</summary>
    private static (int X, int Y)? Find(RasterImage whole, RasterImage part)
    {
        int row = part.Width * 3;
        for (int top = 0; top + part.Height <= whole.Height; top++)
            for (int left = 0; left + part.Width <= whole.Width; left++)
            {
                bool same = true;
                for (int y = 0; y < part.Height && same; y++)
                    same = whole.Pixels.AsSpan(((top + y) * whole.Width + left) * 3, row).SequenceEqual(part.Pixels.AsSpan(y * row, row));
                if (same) return (left, top);
            }
        return null;
    }

    private static RasterImage Rgb(RasterImage png) => Png.Decode(Png.Encode(png), desiredChannels: 3);

    [Test]
    public void RowNames_StandBesideAnUnscaledGrid_UnderTheTitle()
    {
        RasterImage grid = ImageGrid.Compose(Enumerable.Range(0, 6 * 7 * 5).Select(i => (i * 37 % 101) / 100f).ToArray(), 6, 1, 7, 5, columns: 3);
        var files = ChartFiles.Write(ImageFigure.WithRowNames("Test images and their reconstructions", grid, ["input", "reconstruction"]));

        Assert.That(files.Texts, Is.EquivalentTo(new[] { "Test images and their reconstructions", "input", "reconstruction" }));
        Assert.That(files.Images, Is.EqualTo(1));
        var rgbGrid = new RasterImage(grid.Width, grid.Height, 3, grid.Pixels.SelectMany(gray => new[] { gray, gray, gray }).ToArray());
        var at = Find(Rgb(files.Picture), rgbGrid);
        Assert.That(at, Is.Not.Null, "the grid, pixel for pixel");
        Assert.That(at!.Value.X, Is.GreaterThan(0), "the names are left of the grid");
        Assert.That(at.Value.Y, Is.GreaterThan(0), "the title is above it");
    }

    [Test]
    public void ImagesGoWhereTheyArePlaced_InsideMarginsAroundTheContent()
    {
        var figure = new ImageFigure("T", 300, 90);
        RasterImage image = Pattern(13, 9, seed: 1);
        figure.Image(image, 31, 47);
        figure.Text("a caption", 5, 5, ScottPlot.Alignment.UpperLeft);
        var files = ChartFiles.Write(figure.Chart);

        var (x, y) = figure.Origin;
        Assert.That(x, Is.GreaterThan(0));
        Assert.That(y, Is.GreaterThan(ChartStyle.TitleSize), "the title is above the content");
        Assert.That(files.Picture.Width, Is.GreaterThan(x + 300));
        Assert.That(files.Picture.Height, Is.GreaterThan(y + 90));
        Assert.That(Find(Rgb(files.Picture), image), Is.EqualTo((x + 31, y + 47)));
        Assert.That(files.Texts, Is.EqualTo(new[] { "T", "a caption" }));
    }

    [Test]
    public void AFigureIsAsWideAsItsTitle_WhenTheTitleIsWiderThanTheContent()
    {
        const string title = "A title far wider than the tiny content below it";
        var figure = new ImageFigure(title, 20, 20);

        Assert.That(figure.Chart.Width, Is.GreaterThan(ChartStyle.MeasureWidth(title, ChartStyle.TitleSize, bold: true)));
    }

    [Test]
    public void OnAxes_ShowsTheImageAtItsSize_OnAxesSpanningItsExtent()
    {
        RasterImage image = Pattern(90, 60, seed: 2);
        using var chart = ImageFigure.OnAxes(image, "Decoded grid", new ChartAxis("z[0]"), new ChartAxis("z[1]"), (-3.5, 3.5), (-2, 2));
        var limits = chart.Plot.Axes.GetLimits();
        Assert.That((limits.Left, limits.Right, limits.Bottom, limits.Top), Is.EqualTo((-3.5, 3.5, -2.0, 2.0)));

        var files = ChartFiles.Write(chart);
        Assert.That(Find(Rgb(files.Picture), image), Is.Not.Null, "the image, pixel for pixel");
        Assert.That(files.Texts, Is.SupersetOf(new[] { "Decoded grid", "z[0]", "z[1]" }));
    }

    [Test]
    public void OnAxes_ATitleWiderThanTheImage_StillFits()
    {
        const string title = "A title far wider than the tiny image below it";
        using var chart = ImageFigure.OnAxes(Pattern(20, 20, seed: 3), title, new ChartAxis("x"), new ChartAxis("y"), (0, 1), (0, 1));

        Assert.That(chart.Width, Is.GreaterThan(ChartStyle.MeasureWidth(title, ChartStyle.TitleSize, bold: true)));
    }
}
