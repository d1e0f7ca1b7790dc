using VulkanAE.Data;

namespace VulkanAE.Tests.Data;

public class ValidationSplitTests
{
    /// <summary>37 one-pixel images whose pixel is their index, labelled by it modulo 3.</summary>
    private static ImageDataset Numbered(int count = 37)
        => new("numbers/train", count, 1, 1, 1, Enumerable.Range(0, count).Select(i => (byte)i).ToArray(), Enumerable.Range(0, count).Select(i => i % 3).ToArray(), 3);

    [Test]
    public void ItHoldsOutTheFractionAndKeepsEveryImageOnce()
    {
        var (train, validation) = ValidationSplit.Split(Numbered(), 0.1, seed: 5);
        Assert.That(validation.Count, Is.EqualTo(4), "0.1 of 37, rounded");
        Assert.That(train.Pixels.ToArray().Concat(validation.Pixels.ToArray()), Is.EquivalentTo(Numbered().Pixels.ToArray()));
        Assert.That(train.Pixels.ToArray(), Is.Ordered, "the training set's order is kept");
        Assert.That(validation.Pixels.ToArray(), Is.Ordered);
        Assert.That(validation.Labels, Is.EqualTo(validation.Pixels.ToArray().Select(p => p % 3)), "labels travel with their images");
    }

    [Test]
    public void TheSeedAloneChoosesTheImages()
    {
        var first = ValidationSplit.Split(Numbered(), 0.25, seed: 5).Validation.Pixels.ToArray();
        Assert.That(ValidationSplit.Split(Numbered(), 0.25, seed: 5).Validation.Pixels.ToArray(), Is.EqualTo(first), "the same on a resume");
        Assert.That(ValidationSplit.Split(Numbered(), 0.25, seed: 6).Validation.Pixels.ToArray(), Is.Not.EqualTo(first));
    }

    [TestCase(0.0)]
    [TestCase(1.0)]
    [TestCase(0.001)] // rounds to no image
    [TestCase(double.NaN)]
    public void AFractionThatLeavesASideEmptyIsRefused(double fraction)
        => Assert.That(() => ValidationSplit.Split(Numbered(), fraction, seed: 1), Throws.ArgumentException.With.Message.Contain("--val-split"));
}
