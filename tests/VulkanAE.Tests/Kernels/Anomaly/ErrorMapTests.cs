using VulkanAE.Kernels.Anomaly;

namespace VulkanAE.Tests.Kernels.Anomaly;

public class ErrorMapTests : GpuTest
{
    /// <summary>[images, channels, height, width]: odd sizes, one row, one column, one pixel, a batch of 64x64 RGB faces.</summary>
    private static readonly object[] ImageShapes =
        [new[] { 3, 3, 13, 11 }, new[] { 2, 1, 1, 9 }, new[] { 2, 2, 7, 1 }, new[] { 1, 1, 1, 1 }, new[] { 5, 3, 64, 64 }];

    /// <summary>[maps, height, width, radius]: odd sizes, a window wider than the map, radius 0 (a copy), one pixel.</summary>
    private static readonly object[] BoxShapes =
        [new[] { 3, 13, 11, 3 }, new[] { 2, 3, 5, 4 }, new[] { 2, 9, 7, 0 }, new[] { 1, 1, 1, 2 }, new[] { 4, 64, 64, 3 }];

    private float[] ErrorMap(float[] x, float[] y, PixelError measure, int images, int channels, int height, int width)
    {
        using var first = Gpu.CreateTensor("x", x);
        using var second = Gpu.CreateTensor("y", y);
        using var map = Gpu.CreateTensor("map", Enumerable.Repeat(float.NaN, images * height * width).ToArray()); // every pixel must be written
        Gpu.Run(r => ErrorMapKernels.ErrorMap(r, first, second, map, measure, images, channels, height, width));
        return map.ToArray();
    }

    private float[] BoxMean(float[] values, int maps, int height, int width, int radius)
    {
        using var map = Gpu.CreateTensor("map", values);
        using var smoothed = Gpu.CreateTensor("smoothed", Enumerable.Repeat(float.NaN, values.Length).ToArray());
        Gpu.Run(r => ErrorMapKernels.BoxMean(r, map, smoothed, maps, height, width, radius));
        return smoothed.ToArray();
    }

    [TestCaseSource(nameof(ImageShapes))]
    public void ErrorMapsMatchTheReferenceOnRandomImages(int images, int channels, int height, int width)
    {
        var random = new Random(images * 1000 + channels * 100 + height * 10 + width);
        var x = RandomArray(random, images * channels * height * width);
        var y = RandomArray(random, x.Length);
        foreach (var measure in Enum.GetValues<PixelError>())
            AssertClose(ErrorMap(x, y, measure, images, channels, height, width), ErrorMapReference.ErrorMap(x, y, measure, images, channels, height, width),
                rtol: 1e-5f, atol: 1e-6f, what: $"{measure} [{images}, {channels}, {height}, {width}]");
    }

    [Test]
    public void AnEvenShiftHasASquaredErrorButNoGradientError()
    {
        // y = x + 0.25 in every pixel: each step to a neighbour is the same in both images.
        var x = RandomArray(new Random(7), 2 * 3 * 5 * 6);
        var y = x.Select(v => v + 0.25f).ToArray();
        Assert.That(ErrorMap(x, y, PixelError.Squared, 2, 3, 5, 6), Has.All.EqualTo(0.0625f).Within(1e-6f));
        Assert.That(ErrorMap(x, y, PixelError.Gradient, 2, 3, 5, 6), Has.All.EqualTo(0f).Within(1e-6f));
    }

    [Test]
    public void OneChangedPixelMarksItsOwnAndItsLeftAndUpperNeighboursSteps()
    {
        // One channel, 4x5, y differs from x by d at (2, 3): the steps into it from (2, 2) and (1, 3) and out of it to the right
        // and below change by d each; (2, 3) itself has both its steps changed.
        const int height = 4, width = 5;
        const float d = 0.5f;
        var x = new float[height * width];
        var y = (float[])x.Clone();
        y[2 * width + 3] = d;
        var map = ErrorMap(x, y, PixelError.Gradient, 1, 1, height, width);
        var expected = new float[height * width];
        expected[2 * width + 2] = d * d;
        expected[1 * width + 3] = d * d;
        expected[2 * width + 3] = 2 * d * d;
        Assert.That(map, Is.EqualTo(expected).Within(1e-7f));
    }

    [TestCaseSource(nameof(BoxShapes))]
    public void BoxMeansMatchTheReferenceOnRandomMaps(int maps, int height, int width, int radius)
    {
        var values = RandomArray(new Random(maps * 1000 + height * 10 + width), maps * height * width, 0f, 1f);
        AssertClose(BoxMean(values, maps, height, width, radius), ErrorMapReference.BoxMean(values, maps, height, width, radius),
            rtol: 1e-5f, atol: 1e-6f, what: $"box mean [{maps}, {height}, {width}] radius {radius}");
    }

    [Test]
    public void ABoxMeanAveragesOverTheWindowClippedToTheMap()
    {
        // One 1 in the corner of a 3x4 map, radius 1: the corner's window holds 4 pixels, its neighbours' 6, the rest miss it.
        var values = new float[3 * 4];
        values[0] = 1;
        var smoothed = BoxMean(values, 1, 3, 4, 1);
        Assert.That(smoothed, Is.EqualTo(new[] { 1f / 4, 1f / 6, 0, 0, 1f / 6, 1f / 9, 0, 0, 0, 0, 0, 0 }).Within(1e-7f));
    }
}
