using VulkanAE.Plots;

namespace VulkanAE.Tests.Plots;

[TestFixture]
public class AxisScaleTests
{
    private static readonly double[] NiceMantissas = [1, 2, 5];

    [TestCase(0.0, 100.0, 6)]
    [TestCase(0.3, 7.9, 10)]
    [TestCase(-4.2, 3.1, 8)]
    [TestCase(180.0, 530.0, 7)]
    [TestCase(1e-6, 3.2e-6, 5)]
    [TestCase(1.5e7, 9e7, 4)]
    [TestCase(0.98, 1.02, 3)]
    public void Fit_GivesNiceTicksCoveringTheData(double low, double high, int maxTicks)
    {
        AxisScale scale = AxisScale.Fit([low, (low + high) / 2, high], maxTicks);

        double exponent = Math.Floor(Math.Log10(scale.Step));
        double mantissa = scale.Step / Math.Pow(10, exponent);
        Assert.That(NiceMantissas, Has.Some.EqualTo(mantissa).Within(1e-9), $"step {scale.Step}");
        Assert.That(scale.Min, Is.LessThan(low), "the data stays off the frame");
        Assert.That(scale.Max, Is.GreaterThan(high));
        Assert.That(scale.Ticks.Count, Is.InRange(2, maxTicks));
        double tolerance = scale.Step * 1e-9;
        foreach (double tick in scale.Ticks)
        {
            Assert.That(tick / scale.Step, Is.EqualTo(Math.Round(tick / scale.Step)).Within(1e-6), $"{tick} is a multiple of {scale.Step}");
            Assert.That(tick, Is.InRange(scale.Min - tolerance, scale.Max + tolerance));
        }

        Assert.That(scale.Ticks.Zip(scale.Ticks.Skip(1), (a, b) => b - a), Is.All.EqualTo(scale.Step).Within(tolerance));
        Assert.That(scale.Ticks[0] - scale.Min, Is.LessThan(scale.Step), "no tick missing at the low end");
        Assert.That(scale.Max - scale.Ticks[^1], Is.LessThan(scale.Step), "no tick missing at the high end");
    }

    [Test]
    public void Fit_ZeroToHundredInSixTicks_StepsByTwenty()
    {
        AxisScale scale = AxisScale.Fit([0, 100], maxTicks: 6);

        Assert.That(scale.Ticks, Is.EqualTo(new[] { 0.0, 20, 40, 60, 80, 100 }));
        Assert.That((scale.Min, scale.Max), Is.EqualTo((-5.0, 105.0)));
    }

    [Test]
    public void Fit_PicksTheFinestStepWithinTheTickLimit()
    {
        // Data 0..10: step 1 would need 11 ticks, step 2 needs 6.
        Assert.That(AxisScale.Fit([0, 10], maxTicks: 10).Step, Is.EqualTo(2));
        Assert.That(AxisScale.Fit([0, 10], maxTicks: 11).Step, Is.EqualTo(1));
    }

    [TestCase(3.0)]
    [TestCase(0.0)]
    [TestCase(-250.0)]
    public void Fit_SingleValue_IsPaddedAroundIt(double value)
    {
        AxisScale scale = AxisScale.Fit([value, value, value], maxTicks: 6);

        Assert.That(scale.Min, Is.LessThan(value));
        Assert.That(scale.Max, Is.GreaterThan(value));
        Assert.That(scale.Ticks.Count, Is.GreaterThanOrEqualTo(2));
    }

    [Test]
    public void Fit_IgnoresNonFiniteValues_AndCopesWithNoneLeft()
    {
        AxisScale scale = AxisScale.Fit([1, double.NaN, 2, double.PositiveInfinity, double.NegativeInfinity], maxTicks: 6);
        AxisScale empty = AxisScale.Fit([double.NaN], maxTicks: 6);

        Assert.That((scale.Min, scale.Max), Is.EqualTo((0.95, 2.05)).Within(1e-12));
        Assert.That(empty.Ticks, Is.Not.Empty);
    }

    [TestCase(0.05, 0.15, "0.15")]
    [TestCase(0.5, 2.0, "2.0")]
    [TestCase(10.0, 20.0, "20")]
    [TestCase(500.0, 1500.0, "1500")]
    [TestCase(0.1, -1e-17, "0.0")]
    [TestCase(1e-5, 2e-5, "2E-5")]
    [TestCase(2e-6, 1.4e-5, "1.4E-5")]
    [TestCase(1e-5, 0.0, "0")]
    public void Format_ShowsAsManyDigitsAsTheStepNeeds(double step, double value, string expected)
    {
        var scale = new AxisScale(-2 * step, 10 * step, step, []);

        Assert.That(scale.Format(value), Is.EqualTo(expected));
    }

    [Test]
    public void Format_MillionsUseExponentNotation()
    {
        var scale = new AxisScale(0, 3e6, 5e5, []);

        Assert.That(scale.Format(2.5e6), Is.EqualTo("2.5E+6"));
    }
}
