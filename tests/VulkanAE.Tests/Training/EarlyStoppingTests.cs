using VulkanAE.Training;

namespace VulkanAE.Tests.Training;

/// <summary>Early stopping (Keras's EarlyStopping) and ReduceLROnPlateau (torch's), decided from the loss history alone.</summary>
public class EarlyStoppingTests
{
    private static List<EpochMetrics> History(params double[] validationLosses)
        => validationLosses.Select((loss, i) => new EpochMetrics(i + 1, loss, loss, 1, 1, []) { ValidationLoss = loss }).ToList();

    [Test]
    public void TheBestEpochIsTheFirstWithTheLowestValidationLoss()
    {
        Assert.That(EarlyStopping.BestEpoch(History(5, 3, 4, 3, 6)), Is.EqualTo(2));
        Assert.That(EarlyStopping.BestEpoch([new EpochMetrics(1, 1, 1, 1, 1, [])]), Is.Null, "no validation loss, no best epoch");
    }

    [Test]
    public void ItStopsAfterPatienceEpochsWithoutImprovement()
    {
        var stopping = new EarlyStopping(Patience: 2);
        Assert.That(stopping.ShouldStop(History(5, 4, 4.5)), Is.False, "one epoch without improvement");
        Assert.That(stopping.ShouldStop(History(5, 4, 4.5, 4)), Is.True, "an equal loss is no improvement (min_delta 0)");
        Assert.That(stopping.ShouldStop(History(5, 4, 4.5, 3.9)), Is.False);
    }

    [Test]
    public void PlateauReducesAfterMoreThanPatienceBadEpochs()
    {
        var plateau = new PlateauReduction(Patience: 1, Factor: 0.5f);
        Assert.That(plateau.ScaleAfter([5, 4, 4]), Is.EqualTo(1f), "one bad epoch is within patience");
        Assert.That(plateau.ScaleAfter([5, 4, 4, 4.1]), Is.EqualTo(0.5f), "the second bad epoch reduces");
        Assert.That(plateau.ScaleAfter([5, 4, 4, 4.1, 4.2, 4.3]), Is.EqualTo(0.25f), "the count starts again after a reduction");
        // torch's relative threshold: an improvement by less than 1e-4 of the best is none.
        Assert.That(plateau.ScaleAfter([1, 0.99995, 0.99991]), Is.EqualTo(0.5f));
    }
}
