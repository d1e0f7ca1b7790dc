using VulkanAE.Training;

namespace VulkanAE.Tests.Training;

public class EpochMetricsTests
{
    private static EpochMetrics Vae(double testKl) => new(3, 207, 206.5, 10, 100, [("recon", 206.9, 206.4), ("kl", 0.05, testKl)]);

    [Test]
    public void ACollapsedPosteriorIsNamedWithTheRemedy()
    {
        var warning = Vae(testKl: 0.036).PosteriorCollapseWarning();
        Assert.That(warning, Does.Contain("collapsed").And.Contain("--kl-warmup").And.Contain("0.036"));
    }

    [Test]
    public void AHealthyKlOrAnAutoencoderGivesNoWarning()
    {
        Assert.That(Vae(testKl: 6.3).PosteriorCollapseWarning(), Is.Null);
        Assert.That(new EpochMetrics(1, 0.1, 0.09, 10, 100, []).PosteriorCollapseWarning(), Is.Null);
    }
}
