using VulkanAE.Data;

namespace VulkanAE.Tests.Data;

[TestFixture]
public class ImageDatasetTests
{
    private static ImageDataset ThreeRgbImagesOf2x2() =>
        new("rgb", count: 3, channels: 3, height: 2, width: 2,
            pixels: Enumerable.Range(0, 36).Select(i => (byte)(i * 7)).ToArray(), labels: [0, 1, 0], classCount: 2);

    [Test]
    public void Image_GivesTheChwBytesOfOneImage()
    {
        var dataset = ThreeRgbImagesOf2x2();

        Assert.That(dataset.ImageSize, Is.EqualTo(12));
        Assert.That(dataset.Image(1).ToArray(), Is.EqualTo(dataset.Pixels[12..24].ToArray()));
    }

    [Test]
    public void Take_KeepsTheFirstImagesAndTheirLabels()
    {
        var first = ThreeRgbImagesOf2x2().Take(2);

        Assert.That(first.Count, Is.EqualTo(2));
        Assert.That(first.Pixels.ToArray(), Is.EqualTo(ThreeRgbImagesOf2x2().Pixels[..24].ToArray()));
        Assert.That(first.Labels, Is.EqualTo(new[] { 0, 1 }));
    }

    [Test]
    public void Constructor_LabelOutsideClassRange_IsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new ImageDataset("bad", count: 2, channels: 1, height: 1, width: 1, pixels: new byte[] { 0, 0 }, labels: [0, 3], classCount: 3))!;

        Assert.That(error.Message, Does.Contain("bad: label 3 of image 1 is outside [0, 3)"));
    }

    [Test]
    public void Constructor_PixelCountMismatch_IsRejected()
    {
        Assert.Throws<ArgumentException>(() =>
            new ImageDataset("bad", count: 2, channels: 1, height: 2, width: 2, pixels: new byte[7], labels: null, classCount: 0));
    }
}
