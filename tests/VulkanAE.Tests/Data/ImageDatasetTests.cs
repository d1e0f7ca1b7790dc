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
        Assert.That(dataset.Image(1).ToArray(), Is.EqualTo(dataset.Pixels[12..24]));
    }

    [Test]
    public void CopyImagesAsUnitFloats_ScalesBytesToUnitRangeInIndexOrder()
    {
        var dataset = ThreeRgbImagesOf2x2();
        var batch = new float[24];

        dataset.CopyImagesAsUnitFloats([2, 0], batch);

        Assert.That(batch[..12], Is.EqualTo(dataset.Pixels[24..36].Select(b => b / 255f)));
        Assert.That(batch[12..], Is.EqualTo(dataset.Pixels[..12].Select(b => b / 255f)));
    }

    [Test]
    public void Constructor_LabelOutsideClassRange_IsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new ImageDataset("bad", count: 2, channels: 1, height: 1, width: 1, pixels: [0, 0], labels: [0, 3], classCount: 3))!;

        Assert.That(error.Message, Does.Contain("bad: label 3 of image 1 is outside [0, 3)"));
    }

    [Test]
    public void Constructor_PixelCountMismatch_IsRejected()
    {
        Assert.Throws<ArgumentException>(() =>
            new ImageDataset("bad", count: 2, channels: 1, height: 2, width: 2, pixels: new byte[7], labels: null, classCount: 0));
    }
}
