using VulkanAE.Kernels.Reduce;
using VulkanAE.Kernels.Vae;

namespace VulkanAE.Tests.Kernels.Vae;

/// <summary>
/// The IWAE kernels against their CPU references on random data at odd sizes (the log weights summed
/// both ways a row can be: by one invocation and by a workgroup). They have no
/// backward pass (the estimate is only evaluated), so there is no gradient to check.
/// </summary>
public class ImportanceSamplingTests : GpuTest
{
    [TestCase(1, 1, 1, 1, 0, 1)]
    [TestCase(3, 5, 7, 11, 4, 13)]
    [TestCase(1, 13, 20, 13, 0, 784)]
    [TestCase(17, 2, 3, 9, 7, 97)]
    [TestCase(2, 3, 70, 3, 0, 5)]
    public void LogWeightsMatchReference(int images, int samplesHere, int latent, int samples, int firstSample, int features)
    {
        var random = new Random(images * 1000 + samplesHere * 100 + latent + features);
        int rows = images * samplesHere;
        // Logits wide enough to saturate the sigmoid both ways; pixels in [0, 1] with exact 0s and 1s, as MNIST's.
        var logits = RandomArray(random, rows * features, -20f, 20f);
        var pixels = RandomArray(random, images * features, -0.5f, 1.5f).Select(p => Math.Clamp(p, 0f, 1f)).ToArray();
        var epsilon = RandomArray(random, rows * latent, -2.5f, 2.5f);
        var z = RandomArray(random, rows * latent, -3f, 3f);
        var logVariance = RandomArray(random, rows * latent, -4f, 1f);
        // Columns this dispatch does not own keep what was there.
        var before = RandomArray(random, images * samples, -5f, 5f);
        using var x = Gpu.CreateTensor("logits", logits);
        using var batch = Gpu.CreateTensor("images", pixels);
        using var eps = Gpu.CreateTensor("epsilon", epsilon);
        using var tz = Gpu.CreateTensor("z", z);
        using var lv = Gpu.CreateTensor("logVariance", logVariance);
        var chunk = new ImportanceChunk(images, samplesHere, firstSample, samples, features, latent);
        var expected = ImportanceSamplingReference.LogWeights(logits, pixels, epsilon, z, logVariance, (float[])before.Clone(), chunk);
        foreach (var reduction in Enum.GetValues<RowReduction>())
        {
            using var weights = Gpu.CreateTensor("logWeights", before);
            Gpu.Run(rec => ImportanceSamplingKernels.LogWeights(rec, x, batch, eps, tz, lv, weights, chunk, reduction));
            AssertClose(weights.ToArray(), expected, rtol: 1e-5f, atol: 1e-4f, what: $"log w [{images}, {samples}] from sample {firstSample}, one {reduction} per row");
        }
    }

    [TestCase(1, 1)]
    [TestCase(3, 17)]
    [TestCase(2, 5000)]
    [TestCase(37, 50)]
    public void LogMeanExpMatchesReferenceWhereExpWouldOverflowOrUnderflow(int rows, int cols)
    {
        var random = new Random(rows * 7 + cols);
        // Log weights of a VAE on MNIST are around -100 nats: exp underflows to 0 in floats
        // unless the maximum is taken out. Some rows sit near +100, where exp overflows.
        var values = new float[rows * cols];
        for (int row = 0; row < rows; row++)
        {
            float centre = row % 2 == 0 ? -120f : 95f;
            for (int k = 0; k < cols; k++) values[row * cols + k] = centre + (float)(random.NextDouble() * 30 - 15);
        }
        using var x = Gpu.CreateTensor("values", values);
        using var result = Gpu.CreateTensor("result", rows);
        Gpu.Run(r => ImportanceSamplingKernels.LogMeanExp(r, x, result, rows, cols));
        var actual = result.ToArray();
        Assert.That(actual.All(float.IsFinite), Is.True, "finite for weights far from 0");
        AssertClose(actual, ImportanceSamplingReference.LogMeanExp(values, rows, cols), rtol: 1e-5f, atol: 1e-4f, what: $"log mean exp [{rows}, {cols}]");
    }

    [Test]
    public void LogMeanExpOfEqualWeightsIsThatWeightAndOfImpossibleOnesMinusInfinity()
    {
        var values = new[] { -3.5f, -3.5f, -3.5f, float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity, 2f, float.NegativeInfinity };
        using var x = Gpu.CreateTensor("values", values);
        using var result = Gpu.CreateTensor("result", 3);
        Gpu.Run(r => ImportanceSamplingKernels.LogMeanExp(r, x, result, 3, 3));
        var actual = result.ToArray();
        Assert.That(actual[0], Is.EqualTo(-3.5f).Within(1e-6f), "mean of equal weights");
        Assert.That(actual[1], Is.EqualTo(float.NegativeInfinity), "all weights zero");
        Assert.That(actual[2], Is.EqualTo(2f - MathF.Log(3f)).Within(1e-6f), "one weight of three");
    }
}
