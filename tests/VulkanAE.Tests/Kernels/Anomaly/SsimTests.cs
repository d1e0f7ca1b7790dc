using VulkanAE.Kernels.Anomaly;

namespace VulkanAE.Tests.Kernels.Anomaly;

public class SsimTests : GpuTest
{
    /// <summary>[planes, height, width, radius]: odd sizes, a window wider than the image, one pixel, a 64x64 RGB face's planes.</summary>
    private static readonly object[] Shapes =
        [new[] { 5, 13, 11, 3 }, new[] { 2, 3, 2, 3 }, new[] { 1, 1, 1, 3 }, new[] { 3, 9, 17, 1 }, new[] { 2, 7, 5, 0 }, new[] { 3, 64, 64, 3 }];

    private float[] SsimMap(float[] x, float[] y, int planes, int height, int width, float dataRange, int radius)
    {
        using var first = Gpu.CreateTensor("x", x);
        using var second = Gpu.CreateTensor("y", y);
        using var ssim = Gpu.CreateTensor("ssim", Enumerable.Repeat(float.NaN, x.Length).ToArray()); // every pixel must be written
        Gpu.Run(r => SsimKernels.SsimMap(r, first, second, ssim, planes, height, width, dataRange, radius));
        return ssim.ToArray();
    }

    [TestCaseSource(nameof(Shapes))]
    public void MatchesReferenceOnRandomImages(int planes, int height, int width, int radius)
    {
        var random = new Random(planes * 1000 + height * 10 + width);
        var x = RandomArray(random, planes * height * width);
        // A noisy copy, so the map spans similar and dissimilar windows rather than sitting near 0.
        var y = x.Select(v => v + 0.5f * (float)(random.NextDouble() - 0.5)).ToArray();
        // The shader sums in float, one pass, relative to the centre pixel.
        AssertClose(SsimMap(x, y, planes, height, width, 2f, radius), SsimReference.SsimMap(x, y, planes, height, width, 2f, radius),
            rtol: 1e-4f, atol: 1e-4f, what: $"SSIM [{planes}, {height}, {width}] radius {radius}");
    }

    [Test]
    public void IdenticalImagesAreSimilarEverywhere()
    {
        var x = RandomArray(new Random(3), 2 * 9 * 7, 0f, 1f);
        Assert.That(SsimMap(x, x, 2, 9, 7, 1f, 3), Has.All.EqualTo(1f).Within(1e-5f));
    }

    [Test]
    public void FlatImagesCompareByTheirMeansAlone()
    {
        // No variance: the structure term is C2 / C2, the luminance term (2ab + C1) / (a^2 + b^2 + C1).
        const float a = 0.8f, b = 0.3f;
        double c1 = 0.01 * 0.01;
        var expected = (float)((2.0 * a * b + c1) / (a * a + b * b + c1));
        var map = SsimMap(Enumerable.Repeat(a, 5 * 6).ToArray(), Enumerable.Repeat(b, 5 * 6).ToArray(), 1, 5, 6, 1f, 2);
        Assert.That(map, Has.All.EqualTo(expected).Within(1e-5f));
    }

    [Test]
    public void ReferenceOfAShiftedImageIsItsLuminanceTerm()
    {
        // y = x + d: equal variances and covariance, so only the window means differ.
        var random = new Random(5);
        const int height = 6, width = 5, radius = 1;
        const float d = 0.25f;
        var x = RandomArray(random, height * width, 0f, 0.5f);
        var y = x.Select(v => v + d).ToArray();
        var map = SsimReference.SsimMap(x, y, 1, height, width, 1f, radius);
        double c1 = 1e-4;
        for (int h = 0; h < height; h++)
        for (int w = 0; w < width; w++)
        {
            var window = (from r in Enumerable.Range(h - radius, 2 * radius + 1) where r >= 0 && r < height
                          from c in Enumerable.Range(w - radius, 2 * radius + 1) where c >= 0 && c < width
                          select (double)x[r * width + c]).ToArray();
            double m = window.Average(), expected = (2 * m * (m + d) + c1) / (m * m + (m + d) * (m + d) + c1);
            Assert.That(map[h * width + w], Is.EqualTo(expected).Within(1e-5), $"pixel ({h}, {w})");
        }
    }
}
