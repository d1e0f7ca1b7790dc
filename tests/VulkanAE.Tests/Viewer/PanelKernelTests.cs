using VulkanAE.Core;
using VulkanAE.Plots;
using VulkanAE.Viewer;

namespace VulkanAE.Tests.Viewer;

/// <summary>
/// Each viewer shader against its CPU reference, pixel for pixel, on an odd-sized frame (not a
/// multiple of the 16 x 16 tile) with panels that run off its edges. The frame starts filled with a
/// sentinel, so a kernel that writes outside its panel, or skips a pixel of it, fails.
/// </summary>
public class PanelKernelTests : GpuTest
{
    private const int FrameWidth = 101, FrameHeight = 77;
    private const uint Sentinel = 0x12345678;

    private Tensor _frame = null!;

    [OneTimeSetUp]
    public void CreateFrame() => _frame = Gpu.CreateTensor("frame", FrameWidth * FrameHeight);

    [OneTimeTearDown]
    public void DisposeFrame() => _frame.Dispose();

    private FrameTarget Target(FramePixelFormat format) => new(_frame, FrameWidth, FrameHeight, format);

    private static uint[] SentinelFrame() => Enumerable.Repeat(Sentinel, FrameWidth * FrameHeight).ToArray();

    private uint[] Render(Action<SequenceRecorder> draw)
    {
        Gpu.Run(r =>
        {
            r.Fill(_frame, Sentinel);
            draw(r);
        });
        var pixels = new uint[FrameWidth * FrameHeight];
        _frame.Download<uint>(pixels);
        return pixels;
    }

    private static void AssertSameFrame(uint[] actual, uint[] expected)
    {
        for (int i = 0; i < expected.Length; i++)
            if (actual[i] != expected[i])
                Assert.Fail($"pixel ({i % FrameWidth}, {i / FrameWidth}): got 0x{actual[i]:X8}, expected 0x{expected[i]:X8}");
    }

    // 5 x 7 images shown at their size, scaled up 2 and 3 times, shrunk, and stretched by non-integer factors.
    [TestCase(1, 5, 7, 0, 3, 0, 0, 7, FramePixelFormat.Bgra)]
    [TestCase(1, 10, 14, 1, 4, 5, -3, 9, FramePixelFormat.Rgba)]
    [TestCase(3, 15, 21, 2, 5, 2, 50, 4, FramePixelFormat.Bgra)]
    [TestCase(3, 5, 7, 1, 7, 0, -11, 33, FramePixelFormat.Rgba)]
    [TestCase(3, 3, 4, 1, 6, 1, 2, 11, FramePixelFormat.Bgra)]
    [TestCase(1, 8, 11, 2, 3, 0, 4, 6, FramePixelFormat.Rgba)]
    public void ImagesMatchTheReference(int channels, int shownHeight, int shownWidth, int gap, int columns, int firstCell, int left, int count,
        FramePixelFormat format)
    {
        var random = new Random(channels * 100 + count);
        var shape = new ImageGridShape(columns, channels, Height: 5, Width: 7, shownHeight, shownWidth, gap);
        // Past both ends of the range, so clamping is exercised; -1..1 maps to black..white.
        var images = RandomArray(random, count * shape.ImageSize, -1.2f, 1.2f);
        using var tensor = Gpu.CreateTensor("images", images);
        uint background = format.Pack(Rgb.Gray(40));
        var actual = Render(r => ImagePanel.Draw(r, Target(format), tensor, shape, left, 6, firstCell, count, background, -1f, 1f));
        var expected = SentinelFrame();
        ImagePanelReference.Draw(expected, FrameWidth, FrameHeight, format, images, shape, left, 6, firstCell, count, background, -1f, 1f);
        AssertSameFrame(actual, expected);
    }

    [Test]
    public void AGrayImageKeepsItsBytes()
    {
        // The mapping itself, not just agreement: 0 -> 0, 1 -> 255, 0.5 -> 128 (127.5 rounds to even), clamped beyond.
        float[] values = [0f, 1f, 0.5f, -3f, 7f, 0.2f];
        var shape = new ImageGridShape(1, 1, 1, values.Length, 1, values.Length, 0);
        using var tensor = Gpu.CreateTensor("images", values);
        var frame = Render(r => ImagePanel.Draw(r, Target(FramePixelFormat.Rgba), tensor, shape, 0, 0, 0, 1, 0));
        Assert.That(frame.Take(values.Length).Select(p => p & 0xFF), Is.EqualTo(new uint[] { 0, 255, 128, 0, 255, 51 }));
        Assert.That(frame.Take(values.Length).Select(p => p >> 24), Is.All.EqualTo(255u));
    }

    [TestCase(1, 0, 3, 16)]
    [TestCase(2, 7, -5, 9)]
    [TestCase(3, 40, 60, 5)]
    public void TextMatchesTheBitmapFont(int scale, int left, int top, int length)
    {
        var random = new Random(scale);
        // Printable characters, and a few outside the font that must show as '?'.
        var text = new string(Enumerable.Range(0, length).Select(i => i % 7 == 3 ? (char)(random.Next(2) == 0 ? 7 : 200) : (char)random.Next(32, 127)).ToArray());
        using var glyphs = Gpu.CreateTensor("glyphs", TextPanel.GlyphTable().Length);
        glyphs.Upload<uint>(TextPanel.GlyphTable());
        using var codes = Gpu.CreateTensor("text", 3 + length);
        codes.Upload<uint>(TextPanel.Encode("xyz" + text, 3 + length));
        var format = FramePixelFormat.Bgra;
        uint foreground = format.Pack(new Rgb(250, 200, 10)), background = format.Pack(Rgb.Gray(24));
        var actual = Render(r => TextPanel.Draw(r, Target(format), glyphs, codes, 3, length, left, top, scale, foreground, background));
        var expected = SentinelFrame();
        TextPanelReference.Draw(expected, FrameWidth, FrameHeight, text, length, left, top, scale, foreground, background);
        AssertSameFrame(actual, expected);
    }

    [TestCase(1, 17, 0u, 0)]
    [TestCase(2, 33, 0u, 0)]
    [TestCase(2, 33, 0b1010u, 2)]
    public void CurvesMatchTheReference(int series, int capacity, uint markedSeries, int markerRadius)
    {
        var random = new Random(capacity);
        var panel = new PanelRect(-4, 9, 83, 61);
        // x non-decreasing, with repeats (several points in one column) and jumps; y anywhere.
        var curves = Enumerable.Range(0, series).Select(s => (IReadOnlyList<(int, int)>)Enumerable.Range(0, capacity - 2 * s)
            .Select(_ => (random.Next(panel.Width), random.Next(panel.Height))).OrderBy(p => p.Item1).ToArray()).ToList();
        curves.Add([(5, 5)]); // one point: a dot
        curves.Add([(10, 2), (10, 40), (60, 40)]); // vertical and horizontal segments
        uint[] palette = [0xFF0000FF, 0xFF00FF00, 0xFFFF0000, 0xFFFFFFFF];
        using var tensor = Gpu.CreateTensor("curves", CurvePanel.TensorLength(curves.Count, capacity));
        tensor.Upload<int>(CurvePanel.Pack(curves, capacity));
        using var paletteTensor = Gpu.CreateTensor("palette", palette.Length);
        paletteTensor.Upload<uint>(palette);
        var style = new CurveStyle(0xFF101010, markedSeries, markerRadius);
        var actual = Render(r => CurvePanel.Draw(r, Target(FramePixelFormat.Bgra), tensor, paletteTensor, panel, curves.Count, capacity, style));
        var expected = SentinelFrame();
        CurvePanelReference.Draw(expected, FrameWidth, FrameHeight, curves, palette, panel, style);
        AssertSameFrame(actual, expected);
    }

    [TestCase(28, 28, 56, 56, 56)]
    [TestCase(64, 64, 56, 56, 56)]
    [TestCase(32, 64, 56, 28, 56)]
    [TestCase(100, 10, 28, 28, 2)]
    public void FittedImagesFillTheirBoxKeepingTheirAspect(int height, int width, int box, int shownHeight, int shownWidth)
    {
        var shape = ImageGridShape.Fitted(1, 1, height, width, box, gap: 0);
        Assert.That((shape.ShownHeight, shape.ShownWidth), Is.EqualTo((shownHeight, shownWidth)));
    }

    [Test]
    public void AMarkedSinglePointIsASquare()
    {
        var style = new CurveStyle(0, MarkedSeries: 0b10, MarkerRadius: 2);
        var covered = Enumerable.Range(0, 11).SelectMany(x => Enumerable.Range(0, 11).Select(y => (x, y))).Where(p => style.Marks(1, p, (5, 5))).ToArray();
        Assert.That(covered, Has.Length.EqualTo(25));
        Assert.That(covered.All(p => Math.Abs(p.x - 5) <= 2 && Math.Abs(p.y - 5) <= 2));
        Assert.That(style.Marks(0, (5, 5), (5, 5)), Is.False, "series 0 is not marked");
    }

    [Test]
    public void ASegmentIsDrawnWithoutGaps()
    {
        // Every column of a shallow segment and every row of a steep one has a pixel on it.
        Assert.That(Enumerable.Range(0, 31).All(x => Enumerable.Range(0, 8).Any(y => CurvePanelReference.OnSegment((x, y), (0, 0), (30, 7)))));
        Assert.That(Enumerable.Range(0, 31).All(y => Enumerable.Range(0, 8).Any(x => CurvePanelReference.OnSegment((x, y), (7, 0), (0, 30)))));
        Assert.That(CurvePanelReference.OnSegment((15, 7), (0, 0), (30, 7)), Is.False);
    }

    [TestCase(1, 0, 2)]
    [TestCase(1001, 1, 3)]
    [TestCase(257, 2, 2)]
    [TestCase(263, 1, 7)]
    public void ScatterMatchesTheReference(int points, int radius, int codeSize)
    {
        var random = new Random(points);
        var panel = new PanelRect(20, -3, 67, 71);
        var positions = RandomArray(random, points * codeSize, -3.5f, 3.5f);
        var labels = Enumerable.Range(0, points).Select(_ => (uint)random.Next(13)).ToArray();
        uint[] palette = Enumerable.Range(0, 10).Select(i => 0xFF000000u | (uint)(i * 0x151515)).ToArray();
        float[] view = ScatterPanel.View(-3f, 3f, panel.Width / 6f);
        // Projections by powers of two (or 0) are exact, so a fused multiply-add draws the same pixels as the reference's separate rounding.
        float[] powersOfTwo = [0f, 0.25f, -0.5f, 1f, -1f];
        var axes = codeSize == 2 ? PrincipalAxes.Identity
            : RandomArray(random, 3 * codeSize, -0.5f, 0.5f).Concat(Enumerable.Range(0, 2 * codeSize).Select(_ => powersOfTwo[random.Next(powersOfTwo.Length)])).ToArray();
        using var axesTensor = Gpu.CreateTensor("axes", axes);
        using var positionTensor = Gpu.CreateTensor("positions", positions);
        using var labelTensor = Gpu.CreateTensor("labels", points);
        labelTensor.Upload<uint>(labels);
        using var paletteTensor = Gpu.CreateTensor("palette", palette.Length);
        paletteTensor.Upload<uint>(palette);
        using var viewTensor = Gpu.CreateTensor("view", view);
        using var owner = Gpu.CreateTensor("owner", panel.Width * panel.Height);
        using var secondHalf = Gpu.CreateTensor("positions_2", positions.AsSpan(points / 2 * codeSize).ToArray());
        var actual = Render(r =>
        {
            // In two chunks, the second first: the owner map's maximum must not depend on the order.
            r.Fill(owner);
            ScatterPanel.Splat(r, secondHalf, axesTensor, points - points / 2, codeSize, points / 2, viewTensor, owner, panel.Width, panel.Height, radius);
            ScatterPanel.Splat(r, positionTensor, axesTensor, points / 2, codeSize, 0, viewTensor, owner, panel.Width, panel.Height, radius);
            ScatterPanel.Resolve(r, Target(FramePixelFormat.Rgba), owner, labelTensor, paletteTensor, palette.Length, panel, 0xFF202020);
        });
        var expected = SentinelFrame();
        ScatterPanelReference.Draw(expected, FrameWidth, FrameHeight, positions, axes, codeSize, labels, palette, view, panel, radius, 0xFF202020);
        AssertSameFrame(actual, expected);
    }

    // Down by whole and by odd factors, to a line and a pixel, and 1:1.
    [TestCase(50, 38)]
    [TestCase(67, 23)]
    [TestCase(101, 1)]
    [TestCase(1, 1)]
    [TestCase(101, 77)]
    public void AShrunkFrameMatchesTheReference(int width, int height)
    {
        var random = new Random(width * 1000 + height);
        var frame = Enumerable.Range(0, FrameWidth * FrameHeight).Select(_ => (uint)random.NextInt64(0, 1L << 32)).ToArray();
        _frame.Upload<uint>(frame);
        using var shrunk = Gpu.CreateTensor("shrunk", width * height + 1);
        shrunk.Upload<uint>(Enumerable.Repeat(Sentinel, width * height + 1).ToArray());
        Gpu.Run(r => FrameScaler.Shrink(r, Target(FramePixelFormat.Bgra), shrunk, width, height));
        var actual = new uint[width * height + 1];
        shrunk.Download<uint>(actual);
        var expected = FrameScalerReference.Shrink(frame, FrameWidth, FrameHeight, width, height);
        Assert.That(actual[..^1], Is.EqualTo(expected));
        Assert.That(actual[^1], Is.EqualTo(Sentinel), "nothing written past the picture");
        if (width == FrameWidth && height == FrameHeight) Assert.That(actual[..^1], Is.EqualTo(frame), "1:1 is the frame itself");
    }

    [Test]
    public void AShrunkPixelIsTheRoundedMeanOfEachChannelOfItsBox()
    {
        // A 2 x 2 box per pixel, worked by hand, lowest byte first: means 0.5 -> 1 (halves up), 127.25 -> 127, 255, 0.75 -> 1.
        uint[] box = [0x00FF7F00, 0x01FF7F01, 0x01FF8001, 0x01FF7F00];
        var frame = new uint[FrameWidth * FrameHeight];
        (frame[0], frame[1], frame[FrameWidth], frame[FrameWidth + 1]) = (box[0], box[1], box[2], box[3]);
        Assert.That(FrameScalerReference.Shrink(frame, FrameWidth, FrameHeight, FrameWidth / 2, FrameHeight / 2)[0], Is.EqualTo(0x01FF7F01u));
    }
}
