using VulkanAE.IO;

namespace VulkanAE.Tests.IO;

[TestFixture]
public class ImageGridTests
{
    private const int Gap = ImageGrid.SeparatorPixels;

    [Test]
    public void Compose_TwoRowsOfTwelve_HasCellsAndSeparators()
    {
        var images = new float[24 * 28 * 28];

        RasterImage grid = ImageGrid.Compose(images, count: 24, channels: 1, height: 28, width: 28, columns: 12);

        Assert.That(grid.Width, Is.EqualTo(12 * (28 + Gap) + Gap));
        Assert.That(grid.Height, Is.EqualTo(2 * (28 + Gap) + Gap));
        Assert.That(grid.Channels, Is.EqualTo(1));
        Assert.That(grid.Pixels[0], Is.EqualTo(ImageGrid.SeparatorGray), "border");
        Assert.That(grid.Pixels[Gap * grid.Width + Gap], Is.EqualTo(0), "first pixel of the first image");
        Assert.That(grid.Pixels[Gap * grid.Width + Gap + 28], Is.EqualTo(ImageGrid.SeparatorGray), "gap after the first image");
    }

    [Test]
    public void Compose_PlacesEachImageInReadingOrder_AndLeavesUnusedCellsGray()
    {
        // Three 1x1 gray images in rows of two: values 0.2, 0.4, 0.6.
        RasterImage grid = ImageGrid.Compose([0.2f, 0.4f, 0.6f], count: 3, channels: 1, height: 1, width: 1, columns: 2);

        int Cell(int row, int column) => (Gap + row * (1 + Gap)) * grid.Width + Gap + column * (1 + Gap);
        Assert.That(grid.Pixels[Cell(0, 0)], Is.EqualTo(51));
        Assert.That(grid.Pixels[Cell(0, 1)], Is.EqualTo(102));
        Assert.That(grid.Pixels[Cell(1, 0)], Is.EqualTo(153));
        Assert.That(grid.Pixels[Cell(1, 1)], Is.EqualTo(ImageGrid.SeparatorGray));
    }

    [Test]
    public void Compose_Scale_RepeatsEachPixelInASquare()
    {
        // One 1x2 image (black, white) scaled 3x: a 3x6 cell.
        RasterImage grid = ImageGrid.Compose([0f, 1f], count: 1, channels: 1, height: 1, width: 2, columns: 1, scale: 3);

        Assert.That((grid.Width, grid.Height), Is.EqualTo((6 + 2 * Gap, 3 + 2 * Gap)));
        for (int y = 0; y < 3; y++)
        {
            byte[] row = grid.Pixels.AsSpan((Gap + y) * grid.Width + Gap, 6).ToArray();
            Assert.That(row, Is.EqualTo(new byte[] { 0, 0, 0, 255, 255, 255 }));
        }
    }

    [Test]
    public void Compose_RgbPlanes_BecomeInterleavedPixels()
    {
        // One 1x2 RGB image, CHW: R = (1, 0), G = (0, 0.5), B = (0.25, 1).
        RasterImage grid = ImageGrid.Compose([1f, 0f, 0f, 0.5f, 0.25f, 1f], count: 1, channels: 3, height: 1, width: 2, columns: 1);

        int first = (Gap * grid.Width + Gap) * 3;
        Assert.That(grid.Pixels[first..(first + 6)], Is.EqualTo(new byte[] { 255, 0, 64, 0, 128, 255 }));
    }

    [Test]
    public void Compose_OutOfRangeAndNaN_AreClampedAndBlack()
    {
        RasterImage grid = ImageGrid.Compose([-3f, 7f, float.NaN], count: 3, channels: 1, height: 1, width: 1, columns: 3);

        int row = Gap * grid.Width;
        Assert.That(new[] { grid.Pixels[row + Gap], grid.Pixels[row + 2 * Gap + 1], grid.Pixels[row + 3 * Gap + 2] },
            Is.EqualTo(new byte[] { 0, 255, 0 }));
    }

    [Test]
    public void Compose_WrongFloatCount_IsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            ImageGrid.Compose(new float[10], count: 2, channels: 1, height: 2, width: 2, columns: 2))!;

        Assert.That(error.Message, Does.Contain("10 floats for 2 images of 1x2x2, expected 8"));
    }

    [Test]
    public void Compose_ThenPng_RoundTrips()
    {
        float[] images = Enumerable.Range(0, 4 * 3 * 5 * 6).Select(i => i % 256 / 255f).ToArray();
        RasterImage grid = ImageGrid.Compose(images, count: 4, channels: 3, height: 5, width: 6, columns: 2, scale: 2);

        Assert.That(Png.Decode(Png.Encode(grid)).Pixels, Is.EqualTo(grid.Pixels));
    }
}
