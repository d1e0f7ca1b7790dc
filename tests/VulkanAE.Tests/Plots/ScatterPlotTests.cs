using VulkanAE.Plots;

namespace VulkanAE.Tests.Plots;

public class ScatterPlotTests
{
    private static readonly string[] Digits = Enumerable.Range(0, 10).Select(d => d.ToString()).ToArray();

    private static readonly ChartAxis Z0 = new("z[0]", MustShow: (-3, 3));
    private static readonly ChartAxis Z1 = new("z[1]", MustShow: (-3, 3));

    [Test]
    public void WritesAPngOfItsSize_AndAnSvgWithTitleAxesAndEveryClassInTheLegend()
    {
        var random = new Random(5);
        float[] xs = Enumerable.Range(0, 300).Select(_ => (float)random.NextDouble() * 4 - 2).ToArray();
        float[] ys = Enumerable.Range(0, 300).Select(_ => (float)random.NextDouble() * 4 - 2).ToArray();
        int[] classes = Enumerable.Range(0, 300).Select(i => i % 3).ToArray();

        var files = ChartFiles.Write(ScatterPlot.Create("Latent means", Z0, Z1, xs, ys, classes, ["cats", "dogs", "birds"], width: 500, height: 450));

        Assert.That((files.Picture.Width, files.Picture.Height), Is.EqualTo((500, 450)));
        Assert.That(files.Texts, Is.SupersetOf(new[] { "Latent means", "z[0]", "z[1]", "cats", "dogs", "birds" }));
    }

    [Test]
    public void ACollapsedPosterior_StaysADot_InsideThePriorsRange()
    {
        float[] xs = [0.20f, 0.21f, 0.19f, 0.20f];
        float[] ys = [0.50f, 0.51f, 0.49f, 0.52f];
        using var chart = ScatterPlot.Create("collapsed", Z0, Z1, xs, ys, [0, 1, 2, 3], Digits);
        var limits = chart.Plot.Axes.GetLimits();

        Assert.That(limits.Left, Is.LessThanOrEqualTo(-3));
        Assert.That(limits.Right, Is.GreaterThanOrEqualTo(3));
        Assert.That(limits.Bottom, Is.LessThanOrEqualTo(-3));
        Assert.That(limits.Top, Is.GreaterThanOrEqualTo(3));
    }

    [Test]
    public void PointsBeyondThePrior_WidenTheAxes()
    {
        using var chart = ScatterPlot.Create("wide", Z0, Z1, [-7f, 1f], [0f, 9f], [0, 1], Digits);
        var limits = chart.Plot.Axes.GetLimits();

        Assert.That(limits.Left, Is.LessThan(-7));
        Assert.That(limits.Top, Is.GreaterThan(9));
    }

    [Test]
    public void NonFinitePoints_AreLeftOut()
    {
        using var chart = ScatterPlot.Create("s", new ChartAxis("x"), new ChartAxis("y"), [1f, float.NaN, 2f, float.PositiveInfinity], [1f, 5f, 2f, 0f], [0, 1, 0, 1], Digits);
        var limits = chart.Plot.Axes.GetLimits();

        Assert.That(new[] { limits.Left, limits.Right, limits.Bottom, limits.Top }, Is.All.Matches<double>(double.IsFinite));
        Assert.That(limits.Top, Is.LessThan(5), "the NaN point's y must not stretch the axis");
    }

    [Test]
    public void MismatchedLengths_AreRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => ScatterPlot.Create("s", Z0, Z1, [1f, 2f], [1f], [0, 0], Digits))!;
        Assert.That(error.Message, Does.Contain("2 x values, 1 y values and 2 classes"));
    }

    [Test]
    public void AClassWithoutAName_IsRejected()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ScatterPlot.Create("s", Z0, Z1, [1f, 2f], [1f, 2f], [0, 3], ["a", "b"]))!;
        Assert.That(error.Message, Does.Contain("point 1 has class 3"));
    }

    [Test]
    public void MoreClassesThanColours_AreRejected()
    {
        string[] eleven = Enumerable.Range(0, 11).Select(i => $"class {i}").ToArray();
        Assert.Throws<ArgumentException>(() => ScatterPlot.Create("s", Z0, Z1, [1f], [1f], [0], eleven));
    }
}
