using VulkanAE.Plots;

namespace VulkanAE.Tests.Plots;

public class ChartAxisTests
{
    private static readonly ChartAxis Prior = new("z", MustShow: (-3, 3));

    [Test]
    public void WithoutMustShow_TheRangeIsLeftToAutoscale()
    {
        Assert.That(new ChartAxis("epoch").Range(1, 10), Is.Null);
    }

    [Test]
    public void DataInsideMustShow_ShowsMustShowAndItsMargin()
    {
        // A posterior collapsed to a dot near 0.2 still gets the prior's [-3, 3], plus 5% of its width of 6 on each side.
        var (low, high) = Prior.Range(0.19, 0.21)!.Value;

        Assert.That(low, Is.EqualTo(-3.3).Within(1e-12));
        Assert.That(high, Is.EqualTo(3.3).Within(1e-12));
    }

    [Test]
    public void DataBeyondMustShow_WidensTheRange()
    {
        // [-3, 5] is 8 wide: 0.4 of margin on each side.
        var (low, high) = Prior.Range(-1, 5)!.Value;

        Assert.That(low, Is.EqualTo(-3.4).Within(1e-12));
        Assert.That(high, Is.EqualTo(5.4).Within(1e-12));
    }

    [Test]
    public void NoData_ShowsMustShow()
    {
        var (low, high) = Prior.Range(double.NaN, double.NaN)!.Value;

        Assert.That(low, Is.EqualTo(-3.3).Within(1e-12));
        Assert.That(high, Is.EqualTo(3.3).Within(1e-12));
    }
}
