using VulkanAE.IO;
using VulkanAE.Plots;

namespace VulkanAE.Tests.Plots;

[TestFixture]
public class CanvasTests
{
    private static readonly Rgb Red = new(200, 10, 20);

    private static HashSet<(int X, int Y)> RedPixels(Canvas canvas) => ImagePixels.Find(canvas.ToRasterImage(), Red).ToHashSet();

    [Test]
    public void NewCanvas_IsBackgroundColouredRgb()
    {
        RasterImage image = new Canvas(3, 2, new Rgb(1, 2, 3)).ToRasterImage();

        Assert.That((image.Width, image.Height, image.Channels), Is.EqualTo((3, 2, 3)));
        Assert.That(image.Pixels, Is.EqualTo(Enumerable.Repeat(new byte[] { 1, 2, 3 }, 6).SelectMany(b => b)));
    }

    [Test]
    public void SetPixel_WritesInterleavedRgb_AndIgnoresPixelsOffTheCanvas()
    {
        var canvas = new Canvas(4, 3, Rgb.White);

        canvas.SetPixel(2, 1, Red);
        foreach ((int x, int y) in new[] { (-1, 0), (4, 0), (0, -1), (0, 3), (int.MinValue, int.MaxValue) })
        {
            canvas.SetPixel(x, y, Rgb.Black);
        }

        Assert.That(RedPixels(canvas), Is.EquivalentTo(new[] { (2, 1) }));
        Assert.That(canvas.ToRasterImage().Pixels[((1 * 4) + 2) * 3 + 2], Is.EqualTo(20), "blue byte of (2, 1)");
        Assert.That(ImagePixels.Find(canvas.ToRasterImage(), Rgb.Black), Is.Empty);
    }

    [Test]
    public void Line_CoversBothEndsAndOnePixelPerStepOfTheLongerAxis()
    {
        var canvas = new Canvas(20, 20, Rgb.White);

        canvas.Line(2, 3, 12, 7, Red);

        HashSet<(int X, int Y)> line = RedPixels(canvas);
        Assert.That(line, Does.Contain((2, 3)).And.Contain((12, 7)));
        Assert.That(line.Select(p => p.X), Is.EquivalentTo(Enumerable.Range(2, 11)), "one pixel per column");
        foreach ((int x, int y) in line)
        {
            // Bresenham keeps every pixel within half a pixel of the true line y = 3 + (x - 2) * 4 / 10.
            Assert.That(Math.Abs(y - (3 + (x - 2) * 0.4)), Is.LessThanOrEqualTo(0.5), $"({x}, {y})");
        }
    }

    [Test]
    public void Line_DrawnBackwards_IsTheSameSteepLine()
    {
        var forwards = new Canvas(20, 20, Rgb.White);
        var backwards = new Canvas(20, 20, Rgb.White);

        forwards.Line(3, 1, 6, 15, Red);
        backwards.Line(6, 15, 3, 1, Red);

        Assert.That(RedPixels(forwards).Select(p => p.Y).Order(), Is.EqualTo(Enumerable.Range(1, 15)), "one pixel per row");
        Assert.That(RedPixels(backwards).Count, Is.EqualTo(15));
    }

    [Test]
    public void ThickLine_IsTwoPixelsWide()
    {
        var canvas = new Canvas(10, 10, Rgb.White);

        canvas.Line(1, 4, 6, 4, Red, thickness: 2);

        Assert.That(RedPixels(canvas), Is.EquivalentTo(from y in new[] { 4, 5 } from x in Enumerable.Range(1, 7) select (x, y)));
    }

    [Test]
    public void Disc_RadiusOne_IsA3x3Square_RadiusTwo_A5x5SquareWithoutCorners()
    {
        var small = new Canvas(10, 10, Rgb.White);
        var large = new Canvas(10, 10, Rgb.White);

        small.Disc(4, 5, 1, Red);
        large.Disc(4, 5, 2, Red);

        Assert.That(RedPixels(small), Is.EquivalentTo(from y in Enumerable.Range(4, 3) from x in Enumerable.Range(3, 3) select (x, y)));
        var corners = new[] { (2, 3), (6, 3), (2, 7), (6, 7) };
        Assert.That(RedPixels(large), Is.EquivalentTo(
            (from y in Enumerable.Range(3, 5) from x in Enumerable.Range(2, 5) select (x, y)).Except(corners)));
    }

    [Test]
    public void Rectangle_IsAnOutline_FilledRectangle_IsClipped()
    {
        var outline = new Canvas(10, 10, Rgb.White);
        var filled = new Canvas(4, 4, Rgb.White);

        outline.Rectangle(1, 2, 4, 3, Red);
        filled.FilledRectangle(2, -1, 10, 2, Red);

        Assert.That(RedPixels(outline), Is.EquivalentTo(new[] { (1, 2), (2, 2), (3, 2), (4, 2), (1, 3), (4, 3), (1, 4), (2, 4), (3, 4), (4, 4) }));
        Assert.That(RedPixels(filled), Is.EquivalentTo(new[] { (2, 0), (3, 0) }));
    }

    [Test]
    public void DrawTextVertical_TurnsTheTextCounterClockwise()
    {
        var horizontal = new Canvas(30, 30, Rgb.White);
        var vertical = new Canvas(30, 30, Rgb.White);

        horizontal.DrawText(0, 0, "Fy", Red);
        vertical.DrawTextVertical(5, 2, "Fy", Red);

        // Turning counter-clockwise moves text pixel (x, y) to (y, width - 1 - x) inside the box.
        int width = BitmapFont.MeasureWidth("Fy", 1);
        var expected = RedPixels(horizontal).Select(p => (5 + p.Y, 2 + width - 1 - p.X));
        Assert.That(RedPixels(vertical), Is.EquivalentTo(expected));
        Assert.That(RedPixels(vertical).Max(p => p.Y), Is.EqualTo(2 + width - 1), "the first glyph's stem ends at the bottom of the box");
    }

    [Test]
    public void Blit_CopiesGrayAndRgbImages_ClippedToTheCanvas()
    {
        var canvas = new Canvas(3, 2, Rgb.White);

        canvas.Blit(new RasterImage(2, 1, 1, [10, 20]), 0, 0);
        canvas.Blit(new RasterImage(2, 1, 3, [1, 2, 3, 4, 5, 6]), 2, 1);

        RasterImage image = canvas.ToRasterImage();
        Assert.That(ImagePixels.At(image, 0, 0), Is.EqualTo(Rgb.Gray(10)));
        Assert.That(ImagePixels.At(image, 1, 0), Is.EqualTo(Rgb.Gray(20)));
        Assert.That(ImagePixels.At(image, 2, 1), Is.EqualTo(new Rgb(1, 2, 3)));
        Assert.That(ImagePixels.At(image, 2, 0), Is.EqualTo(Rgb.White));
    }

    [Test]
    public void Blit_ImageWithAlpha_IsRejected()
    {
        var canvas = new Canvas(3, 2, Rgb.White);

        Assert.Throws<ArgumentException>(() => canvas.Blit(new RasterImage(1, 1, 4, [1, 2, 3, 4]), 0, 0));
    }

    [Test]
    public void ToRasterImage_IsASnapshot()
    {
        var canvas = new Canvas(2, 2, Rgb.White);
        RasterImage before = canvas.ToRasterImage();

        canvas.SetPixel(0, 0, Red);

        Assert.That(ImagePixels.At(before, 0, 0), Is.EqualTo(Rgb.White));
    }
}
