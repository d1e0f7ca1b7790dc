using VulkanAE.Kernels.Anomaly;

namespace VulkanAE.Tests.Kernels.Anomaly;

public class FeatureDistanceTests : GpuTest
{
    /// <summary>
    /// [images, fine channels, height, width, coarse channels, coarse height, coarse width]: odd sizes, a coarse layer of
    /// rounded-up half size, none (one layer), one position (a code), face-conv-dense-ae's 24x16x16 and 48x8x8 blocks.
    /// </summary>
    private static readonly object[] Shapes =
    [
        new[] { 3, 5, 7, 9, 3, 4, 5 }, new[] { 2, 2, 5, 5, 3, 3, 3 }, new[] { 2, 4, 5, 3, 0, 0, 0 }, new[] { 3, 7, 1, 1, 0, 0, 0 },
        new[] { 2, 24, 16, 16, 48, 8, 8 },
    ];

    private float[] Distances(float[] fine, float[] coarse, float[] mean, float[] whitening, int images, HypercolumnShape shape)
    {
        using var fineTensor = Gpu.CreateTensor("fine", fine);
        using var coarseTensor = Gpu.CreateTensor("coarse", coarse.Length > 0 ? coarse : [0f]);
        using var meanTensor = Gpu.CreateTensor("mean", mean);
        using var whiteningTensor = Gpu.CreateTensor("whitening", whitening);
        using var distances = Gpu.CreateTensor("distances", Enumerable.Repeat(float.NaN, images * shape.Positions).ToArray()); // every one must be written
        Gpu.Run(r => FeatureDistanceKernels.Distances(r, fineTensor, coarseTensor, meanTensor, whiteningTensor, distances, images, shape));
        return distances.ToArray();
    }

    [TestCaseSource(nameof(Shapes))]
    public void MatchesTheReferenceOnRandomFeatures(int images, int fineChannels, int height, int width, int coarseChannels, int coarseHeight, int coarseWidth)
    {
        var shape = new HypercolumnShape(fineChannels, height, width, coarseChannels, coarseHeight, coarseWidth);
        var random = new Random(images * 1000 + fineChannels * 100 + height * 10 + coarseChannels);
        int d = shape.Features;
        var fine = RandomArray(random, images * fineChannels * height * width);
        var coarse = RandomArray(random, images * coarseChannels * coarseHeight * coarseWidth);
        var mean = RandomArray(random, shape.Positions * d);
        var whitening = RandomArray(random, shape.Positions * d * d);
        // The upper triangle is never read: NaN there would make every distance NaN.
        for (int p = 0; p < shape.Positions; p++)
        for (int j = 0; j < d; j++)
        for (int k = j + 1; k < d; k++)
            whitening[(p * d + j) * d + k] = float.NaN;
        AssertClose(Distances(fine, coarse, mean, whitening, images, shape), FeatureDistanceReference.Distances(fine, coarse, mean, whitening, images, shape),
            rtol: 1e-5f, atol: 1e-5f, what: $"{images} images of {shape}");
    }

    [Test]
    public void EachFinePixelReadsTheCoarsePixelItLiesIn()
    {
        // One image, one fine channel of zeros at 4x4, one coarse channel at 2x2 holding 1, 2, 3, 4; zero means, identity
        // whitening: each distance is the square of the coarse value over its 2x2 block.
        var shape = new HypercolumnShape(1, 4, 4, 1, 2, 2);
        var whitening = new float[16 * 4];
        for (int p = 0; p < 16; p++) whitening[p * 4] = whitening[p * 4 + 3] = 1;
        var distances = Distances(new float[16], [1, 2, 3, 4], new float[16 * 2], whitening, 1, shape);
        Assert.That(distances, Is.EqualTo(new float[] { 1, 1, 4, 4, 1, 1, 4, 4, 9, 9, 16, 16, 9, 9, 16, 16 }));
    }
}
