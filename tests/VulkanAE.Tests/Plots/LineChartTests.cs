using VulkanAE.Plots;

namespace VulkanAE.Tests.Plots;

public class LineChartTests
{
    private static readonly Series Train = new("train", [(1, 0.9), (2, 0.5), (3, 0.4)], Colour: 0);
    private static readonly Series Test = new("test", [(1, 0.8), (2, 0.6), (3, 0.55)], Colour: 1, Light: true);

    [Test]
    public void WritesAPngOfItsSize_AndAnSvgWithTitleLabelsAndLegend()
    {
        var files = ChartFiles.Write(LineChart.Create("Loss of a model", new ChartAxis("epoch", IntegerTicks: true), new ChartAxis("loss per pixel"),
            [Train, Test], width: 640, height: 420));

        Assert.That((files.Picture.Width, files.Picture.Height), Is.EqualTo((640, 420)));
        Assert.That(files.Svg.Root!.Attribute("width")!.Value, Is.EqualTo("640"));
        Assert.That(files.Texts, Is.SupersetOf(new[] { "Loss of a model", "epoch", "loss per pixel", "train", "test" }));
    }

    [Test]
    public void IntegerTicks_LabelOnlyWholeNumbers()
    {
        using var chart = LineChart.Create("one epoch", new ChartAxis("epoch", IntegerTicks: true), new ChartAxis("loss"), [new Series("test", [(1, 0.25)], Colour: 0)]);
        chart.Plot.RenderInMemory(chart.Width, chart.Height);
        var ticks = chart.Plot.Axes.Bottom.TickGenerator.Ticks.Where(tick => tick.IsMajor).Select(tick => tick.Position).ToArray();

        Assert.That(ticks, Is.Not.Empty.And.Contains(1.0));
        Assert.That(ticks, Is.All.Matches<double>(position => position == Math.Round(position)));
    }

    [Test]
    public void NonFinitePointsAndEmptySeries_AreLeftOut_WithoutStretchingTheAxes()
    {
        using var chart = LineChart.Create("diverged", new ChartAxis("epoch"), new ChartAxis("loss"),
        [
            new Series("diverged", [(1, 0.5), (2, double.NaN), (3, double.PositiveInfinity), (4, 0.3)], Colour: 0),
            new Series("nothing yet", [], Colour: 1),
        ]);
        var limits = chart.Plot.Axes.GetLimits();

        Assert.That(new[] { limits.Left, limits.Right, limits.Bottom, limits.Top }, Is.All.Matches<double>(double.IsFinite));
        Assert.That(limits.Top, Is.LessThan(1), "the infinite point must not stretch the y axis");
        Assert.That(ChartFiles.Write(chart).Texts, Is.SupersetOf(new[] { "diverged", "nothing yet" }));
    }

    [Test]
    public void MustShow_KeepsARangeOnTheAxis_WhateverTheData()
    {
        using var chart = LineChart.Create("ROC", new ChartAxis("false positive rate", MustShow: (0, 1)), new ChartAxis("true positive rate", MustShow: (0, 1)),
            [new Series("curve", [(0.4, 0.5), (0.5, 0.6)], Colour: 0)]);
        var limits = chart.Plot.Axes.GetLimits();

        Assert.That(new[] { limits.Left, limits.Right, limits.Bottom, limits.Top }, Is.EqualTo(new[] { -0.05, 1.05, -0.05, 1.05 }).Within(1e-12));
    }
}
