using VulkanAE.IO;
using VulkanAE.Plots;

namespace VulkanAE.Tests.Plots;

[TestFixture]
public class LineChartTests
{
    private static readonly Series Train = new("train", [(1, 540), (2, 210), (3, 170), (4, 160)]);

    private static readonly Series Test = new("test", [(1, 520), (2, 230), (3, 200), (4, 195)]);

    private static LineChart LossChart(params Series[] series) => new("Loss", "epoch", "loss", series);

    [Test]
    public void Render_DrawsEachSeriesInItsColour_AtItsPoints()
    {
        LineChart chart = LossChart(Train, Test);

        RasterImage image = chart.Render();

        Assert.That((image.Width, image.Height, image.Channels), Is.EqualTo((800, 500, 3)));
        Assert.That(LineChart.Colour(0), Is.Not.EqualTo(LineChart.Colour(1)));
        foreach ((Series series, int index) in new[] { (Train, 0), (Test, 1) })
        {
            foreach ((double x, double y) in new[] { series.Points[0], series.Points[^1] })
            {
                (int px, int py) = chart.Frame.ToPixel(x, y);
                Assert.That(ImagePixels.At(image, px, py), Is.EqualTo(LineChart.Colour(index)), $"{series.Name} at ({x}, {y})");
            }
        }
    }

    [Test]
    public void Render_JoinsPointsWithALine()
    {
        LineChart chart = LossChart(Train);

        RasterImage image = chart.Render();

        // Halfway along the segment from epoch 3 to epoch 4, away from both markers.
        (int x, int y) = chart.Frame.ToPixel(3.5, 165);
        var around = from dy in Enumerable.Range(-1, 3) from dx in Enumerable.Range(-1, 3) select ImagePixels.At(image, x + dx, y + dy);
        Assert.That(around, Has.Some.EqualTo(LineChart.Colour(0)));
    }

    [Test]
    public void Frame_MapsTheAxisRangeOntoThePlotArea_AndItsTicksCoverTheData()
    {
        ChartFrame frame = LossChart(Train, Test).Frame;

        Assert.That(frame.ToPixel(frame.X.Min, frame.Y.Min), Is.EqualTo((frame.Left, frame.Bottom)));
        Assert.That(frame.ToPixel(frame.X.Max, frame.Y.Max), Is.EqualTo((frame.Right, frame.Top)));
        Assert.That((frame.X.Min, frame.X.Max), Is.EqualTo((0.85, 4.15)).Within(1e-12), "epochs 1..4 plus 5% each side");
        Assert.That(frame.Y.Min, Is.LessThan(160));
        Assert.That(frame.Y.Max, Is.GreaterThan(540));
        Assert.That(frame.Y.Ticks[0] - frame.Y.Min, Is.LessThan(frame.Y.Step));
        Assert.That(frame.Y.Max - frame.Y.Ticks[^1], Is.LessThan(frame.Y.Step));
    }

    [Test]
    public void Render_ShowsTitleTickLabelsAndLegendNames()
    {
        LineChart chart = LossChart(Train, Test);

        RasterImage image = chart.Render();

        Assert.That(ImagePixels.FindText(image, "train", minimumX: chart.Frame.Right), Is.Not.Null, "legend, right of the plot");
        Assert.That(ImagePixels.FindText(image, "test", minimumX: chart.Frame.Right), Is.Not.Null);
        Assert.That(ImagePixels.FindText(image, "epoch", minimumX: 0)!.Value.Y, Is.GreaterThan(chart.Frame.Bottom), "x label below the plot");
        string lastYTick = chart.Frame.Y.Format(chart.Frame.Y.Ticks[^1]);
        Assert.That(ImagePixels.FindText(image, lastYTick, minimumX: 0)!.Value.X, Is.LessThan(chart.Frame.Left), "y tick labels left of the plot");
    }

    [Test]
    public void FlatSeries_GetsAPaddedAxis_AndIsDrawn()
    {
        var flat = new Series("flat", [(1, 3), (2, 3), (3, 3)]);
        LineChart chart = LossChart(flat);

        RasterImage image = chart.Render();

        Assert.That(chart.Frame.Y.Min, Is.LessThan(3));
        Assert.That(chart.Frame.Y.Max, Is.GreaterThan(3));
        (int x, int y) = chart.Frame.ToPixel(2.5, 3);
        Assert.That(ImagePixels.At(image, x, y), Is.EqualTo(LineChart.Colour(0)));
    }

    [Test]
    public void SinglePoint_IsDrawnAsAMarker()
    {
        LineChart chart = LossChart(new Series("only epoch", [(1, 0.25)]));

        RasterImage image = chart.Render();

        (int x, int y) = chart.Frame.ToPixel(1, 0.25);
        Assert.That(ImagePixels.At(image, x, y), Is.EqualTo(LineChart.Colour(0)));
        Assert.That(ImagePixels.At(image, x + LineChart.MarkerRadius, y), Is.EqualTo(LineChart.Colour(0)));
    }

    [Test]
    public void NonFinitePoints_AreSkipped_BreakingTheCurve_AndLeaveTheAxesAlone()
    {
        var diverged = new Series("diverged", [(1, 1), (2, double.NaN), (3, 3), (4, double.PositiveInfinity), (double.NegativeInfinity, 2)]);
        LineChart chart = LossChart(diverged);

        RasterImage image = chart.Render();

        Assert.That((chart.Frame.X.Min, chart.Frame.X.Max), Is.EqualTo((0.9, 3.1)).Within(1e-12));
        Assert.That((chart.Frame.Y.Min, chart.Frame.Y.Max), Is.EqualTo((0.9, 3.1)).Within(1e-12));
        (int x, int y) = chart.Frame.ToPixel(2, 2);
        Assert.That(ImagePixels.At(image, x, y), Is.Not.EqualTo(LineChart.Colour(0)), "no line across the NaN");
        (int lastX, int lastY) = chart.Frame.ToPixel(3, 3);
        Assert.That(ImagePixels.At(image, lastX, lastY), Is.EqualTo(LineChart.Colour(0)));
    }

    [Test]
    public void SeriesWithoutFinitePoints_RendersEmptyAxes()
    {
        LineChart chart = LossChart(new Series("nothing yet", []), new Series("all NaN", [(double.NaN, double.NaN)]));

        RasterImage image = chart.Render();

        Assert.That(ImagePixels.Find(image, LineChart.Colour(0)).Where(p => p.X <= chart.Frame.Right), Is.Empty);
    }

    [Test]
    public void Render_IsDeterministic_AndSurvivesAPngRoundTrip()
    {
        RasterImage image = LossChart(Train, Test).Render();

        RasterImage decoded = Png.Decode(Png.Encode(image));

        Assert.That(LossChart(Train, Test).Render().Pixels, Is.EqualTo(image.Pixels));
        Assert.That((decoded.Width, decoded.Height, decoded.Channels), Is.EqualTo((image.Width, image.Height, 3)));
        Assert.That(decoded.Pixels, Is.EqualTo(image.Pixels));
    }

    [Test]
    public void MoreSeriesThanColours_OrNone_AreRejected()
    {
        Series[] eleven = Enumerable.Range(0, 11).Select(i => new Series($"model {i}", [(0, i)])).ToArray();

        Assert.Throws<ArgumentException>(() => LossChart(eleven));
        Assert.Throws<ArgumentOutOfRangeException>(() => LossChart());
    }

    [Test]
    public void ChartTooSmallForItsLabels_IsRejectedWithTheSizes()
    {
        var error = Assert.Throws<ArgumentException>(() => new LineChart("Loss", "epoch", "loss", [Train], width: 150, height: 500))!;

        Assert.That(error.Message, Does.StartWith("a 150x500 chart leaves a plot width of"));
    }
}
