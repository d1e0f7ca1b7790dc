using VulkanAE.Data;
using VulkanAE.IO;

namespace VulkanAE.Tests.Data;

/// <summary>
/// `--align foreground`: the frame is the foreground's centroid and spread, checked against an ellipse's
/// moments worked out by hand; registration brings the same object drawn at other places and sizes onto
/// the same pixels; an image without a foreground is kept as it is.
/// </summary>
public class ForegroundAlignmentTests
{
    private static readonly byte[] Background = [90, 100, 110];

    /// <summary>An RGB image of <paramref name="size"/> on <see cref="Background"/> with each shape filled in its colour (later shapes on top).</summary>
    private static RasterImage Draw(int size, params (Func<double, double, bool> Inside, byte[] Colour)[] shapes)
    {
        var pixels = new byte[size * size * 3];
        for (int y = 0; y < size; y++)
        for (int x = 0; x < size; x++)
        {
            var colour = Background;
            foreach (var (inside, shapeColour) in shapes)
                if (inside(x + 0.5, y + 0.5)) colour = shapeColour;
            colour.CopyTo(pixels, (y * size + x) * 3);
        }
        return new RasterImage(size, size, 3, pixels);
    }

    private static Func<double, double, bool> Ellipse(double cx, double cy, double rx, double ry)
        => (x, y) => Math.Pow((x - cx) / rx, 2) + Math.Pow((y - cy) / ry, 2) <= 1;

    [Test]
    public void TheFrameOfAFilledEllipseIsItsCentreAndHalfItsRadii()
    {
        // A uniform ellipse has variance r^2 / 4 along each axis: spreads 6 and 4.5 for radii 12 and 9.
        var image = Draw(61, (Ellipse(30.3, 27.8, 12, 9), [200, 150, 120]));
        var frame = ForegroundAlignment.FrameOf(image)!.Value;
        // Within a tenth of a pixel: the ellipse is drawn on a pixel grid.
        Assert.That(frame.CentreX, Is.EqualTo(30.3).Within(0.1));
        Assert.That(frame.CentreY, Is.EqualTo(27.8).Within(0.1));
        Assert.That(frame.SpreadX, Is.EqualTo(6.0).Within(0.1));
        Assert.That(frame.SpreadY, Is.EqualTo(4.5).Within(0.1));
    }

    [Test]
    public void TheSameObjectAtAnotherPlaceAndSizeAlignsOntoTheSamePixels()
    {
        // A head with a dark eye up and to the left of its centre, drawn twice: moved and scaled per axis.
        RasterImage Head(double cx, double cy, double rx, double ry) => Draw(64,
            (Ellipse(cx, cy, rx, ry), [220, 180, 150]),
            (Ellipse(cx - 0.4 * rx, cy - 0.3 * ry, 0.15 * rx, 0.15 * ry), [20, 20, 20]));
        var small = Head(24, 26, 12, 15);
        var large = Head(37, 35, 20, 22);
        var alignedSmall = ForegroundAlignment.Align(small);
        var alignedLarge = ForegroundAlignment.Align(large);

        double before = MeanAbsoluteDifference(small, large), after = MeanAbsoluteDifference(alignedSmall, alignedLarge);
        Assert.That(after, Is.LessThan(before / 5), $"{before} apart before alignment");
        Assert.That(after, Is.LessThan(5), "what is left: the edges, drawn on a pixel grid");
        var (eyeX, eyeY) = DarkCentre(alignedSmall);
        var (otherX, otherY) = DarkCentre(alignedLarge);
        Assert.That(otherX, Is.EqualTo(eyeX).Within(0.5));
        Assert.That(otherY, Is.EqualTo(eyeY).Within(0.5));
        // The eye lies inside the head, so the foreground is the ellipse, its spreads half its radii. The frame spans the
        // centroid +- 2 spreads, 63 pixel steps: the eye, 0.8 spreads left and 0.6 up, is at column 0.3 * 63 and row 0.35 * 63.
        Assert.That(eyeX, Is.EqualTo(0.3 * 63).Within(0.5));
        Assert.That(eyeY, Is.EqualTo(0.35 * 63).Within(0.5));
    }

    [Test]
    public void AnImageWithoutForegroundIsKeptAsItIs()
    {
        var plain = Draw(32);
        Assert.That(ForegroundAlignment.FrameOf(plain), Is.Null);
        Assert.That(ForegroundAlignment.Align(plain), Is.SameAs(plain));

        var speck = Draw(32, ((x, y) => x < 2 && y > 16 && y < 20, [255, 255, 255]));
        Assert.That(ForegroundAlignment.FrameOf(speck), Is.Null, "a few pixels (under 1%) are no object");
    }

    [Test]
    public void AGrayImageAlignsToo()
    {
        var pixels = new byte[40 * 40];
        for (int y = 10; y < 20; y++)
        for (int x = 5; x < 25; x++)
            pixels[y * 40 + x] = 255;
        var aligned = ForegroundAlignment.Align(new RasterImage(40, 40, 1, pixels));
        Assert.That(aligned.Channels, Is.EqualTo(1));
        // A 20x10 box spans +-1.73 spreads (a uniform side of length L has spread L / sqrt 12): the middle column and row are white,
        // the corners (2 spreads out) background.
        Assert.That(aligned.Pixels[20 * 40 + 20], Is.EqualTo(255));
        Assert.That(aligned.Pixels[0], Is.EqualTo(0));
        Assert.That(aligned.Pixels[39 * 40 + 39], Is.EqualTo(0));
    }

    private static double MeanAbsoluteDifference(RasterImage a, RasterImage b)
        => a.Pixels.Zip(b.Pixels, (p, q) => (double)Math.Abs(p - q)).Average();

    /// <summary>The centroid of the dark pixels (the eye), in pixel indices.</summary>
    private static (double X, double Y) DarkCentre(RasterImage image)
    {
        var dark = Enumerable.Range(0, image.Width * image.Height).Where(p => image.Pixels[3 * p] < 50).ToArray();
        return (dark.Average(p => p % image.Width), dark.Average(p => p / image.Width));
    }
}
