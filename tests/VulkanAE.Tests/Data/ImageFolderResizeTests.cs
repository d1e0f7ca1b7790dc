using VulkanAE.Data;
using VulkanAE.IO;

namespace VulkanAE.Tests.Data;

[TestFixture]
public class ImageFolderResizeTests
{
    private static RasterImage Gray(int width, int height, params byte[] pixels) => new(width, height, 1, pixels);

    [Test]
    public void CropAndResize_Halving_GivesTheMeanOfEachBlockRoundedHalfUp()
    {
        // Blocks: (0 10 20 31) mean 15.25, (1 2 3 4) mean 2.5, (255 255 255 255), (7 7 7 7).
        var image = Gray(4, 4,
            0, 10, 1, 2,
            20, 31, 3, 4,
            255, 255, 7, 7,
            255, 255, 7, 7);

        RasterImage half = ImageResize.CropAndResize(image, 2);

        Assert.That((half.Width, half.Height, half.Channels), Is.EqualTo((2, 2, 1)));
        Assert.That(half.Pixels, Is.EqualTo(new byte[] { 15, 3, 255, 7 }));
    }

    [Test]
    public void CropAndResize_ThreeToTwo_WeighsCutPixelsByTheirCoveredFraction()
    {
        // Target pixel 0 covers source [0, 1.5): (0 * 1 + 90 * 0.5) / 1.5 = 30; pixel 1: (90 * 0.5 + 180 * 1) / 1.5 = 150.
        var image = Gray(3, 3,
            0, 90, 180,
            0, 90, 180,
            0, 90, 180);

        Assert.That(ImageResize.CropAndResize(image, 2).Pixels, Is.EqualTo(new byte[] { 30, 150, 30, 150 }));
    }

    [Test]
    public void CropAndResize_Enlarging_ReplicatesPixelsAndBlendsOnlyStraddlingOnes()
    {
        var image = Gray(2, 2, 10, 20, 10, 20);

        Assert.That(ImageResize.CropAndResize(image, 4).Pixels, Is.EqualTo(new byte[]
        {
            10, 10, 20, 20,
            10, 10, 20, 20,
            10, 10, 20, 20,
            10, 10, 20, 20,
        }));
        // Target pixel 1 of 3 covers source [2/3, 4/3): a third of pixel 0 and a third of pixel 1.
        Assert.That(ImageResize.CropAndResize(image, 3).Pixels[..3], Is.EqualTo(new byte[] { 10, 15, 20 }));
    }

    [Test]
    public void CropAndResize_WideImage_KeepsTheCentreSquare()
    {
        // 7x2: margins of (7 - 2) / 2 = 2 columns on the left, 3 on the right.
        var image = Gray(7, 2,
            1, 2, 30, 40, 5, 6, 7,
            1, 2, 50, 60, 5, 6, 7);

        Assert.That(ImageResize.CropAndResize(image, 2).Pixels, Is.EqualTo(new byte[] { 30, 40, 50, 60 }));
    }

    [Test]
    public void CropAndResize_TallRgbImage_CropsRowsAndKeepsChannelsApart()
    {
        // 1x3 RGB: the centre row is kept, its three channels unchanged.
        var image = new RasterImage(1, 3, 3, [1, 2, 3, 100, 150, 200, 7, 8, 9]);

        RasterImage square = ImageResize.CropAndResize(image, 1);

        Assert.That((square.Width, square.Height, square.Channels), Is.EqualTo((1, 1, 3)));
        Assert.That(square.Pixels, Is.EqualTo(new byte[] { 100, 150, 200 }));
    }

    [Test]
    public void CropAndResize_ToOnePixel_IsTheMeanOfTheImage()
    {
        byte[] pixels = Enumerable.Range(0, 25).Select(i => (byte)(i * 10)).ToArray();

        byte mean = ImageResize.CropAndResize(Gray(5, 5, pixels), 1).Pixels[0];

        Assert.That(mean, Is.EqualTo(120)); // (0 + 10 + ... + 240) / 25
    }
}
