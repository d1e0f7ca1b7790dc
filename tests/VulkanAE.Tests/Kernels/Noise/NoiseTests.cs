using VulkanAE.Core;
using VulkanAE.Kernels.Noise;
using VulkanAE.Kernels.Training;

namespace VulkanAE.Tests.Kernels.Noise;

public class NoiseTests : GpuTest
{
    private const uint Seed = 1234, Stream = 3;

    private Tensor State(uint optimizerStep, uint batch)
    {
        var state = Gpu.CreateTensor("trainingState", 4);
        state.Upload<uint>([optimizerStep, batch, 0u, 0u]);
        return state;
    }

    private float[] Sample(int count, uint optimizerStep, uint batch, uint seed = Seed, uint stream = Stream)
    {
        using var state = State(optimizerStep, batch);
        using var normals = Gpu.CreateTensor("normals", count);
        Gpu.Run(r => NoiseKernels.SampleStandardNormal(r, normals, state, count, seed, stream));
        return normals.ToArray();
    }

    /// <summary>
    /// How far the shader's float Box-Muller may stray from the double reference at element i: Vulkan
    /// allows sin and cos an absolute error of 2^-11 on (-pi, pi), scaled by the radius r, and log an
    /// absolute error of 2^-21 near 1, which moves r by at most 2^-10. The Philox bits themselves must
    /// be identical: any wrong bit would move a normal by far more.
    /// </summary>
    private static double NormalTolerance(int i, uint optimizerStep, uint batch)
    {
        var bits = Philox.Block(((uint)(i / 4), optimizerStep, batch, 0u), (Seed, Stream));
        double radius = Philox.BoxMullerRadius(i % 4 < 2 ? bits.X : bits.Z);
        return radius * Math.Pow(2, -11) + Math.Pow(2, -10);
    }

    private static void AssertNormalsClose(ReadOnlySpan<float> actual, uint optimizerStep, uint batch, string what)
    {
        var expected = NoiseReference.StepNormals(actual.Length, Seed, Stream, optimizerStep, batch);
        double worst = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            double error = Math.Abs(actual[i] - expected[i]);
            worst = Math.Max(worst, error);
            Assert.That(error, Is.LessThanOrEqualTo(NormalTolerance(i, optimizerStep, batch)), $"{what}[{i}]: got {actual[i]:R}, expected {expected[i]:R}");
        }
        TestContext.Out.WriteLine($"{what}: largest difference from the double reference {worst:G3}");
    }

    [TestCase(1)]
    [TestCase(7)]
    [TestCase(1001)]
    [TestCase(4099)]
    public void StandardNormalMatchesReference(int count)
        => AssertNormalsClose(Sample(count, optimizerStep: 5, batch: 2), 5, 2, $"normals({count})");

    [Test]
    public void StandardNormalHasTheMomentsOfNZeroOne()
    {
        const int count = 100_003;
        var z = Sample(count, optimizerStep: 1, batch: 0).Select(v => (double)v).ToArray();
        double mean = z.Average();
        double variance = z.Select(v => (v - mean) * (v - mean)).Average();
        double skewness = z.Select(v => Math.Pow(v - mean, 3)).Average() / Math.Pow(variance, 1.5);
        double withinOneSigma = z.Count(v => Math.Abs(v) < 1) / (double)count;
        TestContext.Out.WriteLine($"mean {mean:G4}, variance {variance:G5}, skewness {skewness:G3}, P(|z| < 1) {withinOneSigma:G5}");
        // Five standard errors of each statistic for n = 1e5 (the sample is fixed, so this cannot flake).
        Assert.That(mean, Is.EqualTo(0).Within(0.016), "mean");
        Assert.That(variance, Is.EqualTo(1).Within(0.023), "variance");
        Assert.That(skewness, Is.EqualTo(0).Within(0.04), "skewness");
        Assert.That(withinOneSigma, Is.EqualTo(0.682689).Within(0.0074), "P(|z| < 1)");
    }

    [Test]
    public void EachStepBatchSeedAndStreamDrawsDifferentNumbers()
    {
        const int count = 1001;
        var reference = Sample(count, optimizerStep: 7, batch: 3);
        var others = new Dictionary<string, float[]>
        {
            ["next step"] = Sample(count, optimizerStep: 8, batch: 3),
            ["next batch"] = Sample(count, optimizerStep: 7, batch: 4),
            ["other seed"] = Sample(count, optimizerStep: 7, batch: 3, seed: Seed + 1),
            ["other stream"] = Sample(count, optimizerStep: 7, batch: 3, stream: Stream + 1),
        };
        foreach (var (what, other) in others)
            Assert.That(Enumerable.Range(0, count).Count(i => other[i] == reference[i]), Is.LessThan(3), $"{what}: elements equal to the reference draw");
    }

    [Test]
    public void SameStateDrawsBitIdenticalNumbers()
    {
        var first = Sample(4099, optimizerStep: 11, batch: 0);
        var second = Sample(4099, optimizerStep: 11, batch: 0);
        Assert.That(second, Is.EqualTo(first).AsCollection);
    }

    [Test]
    public void ReplayedStepDrawsTheNumbersOfEachStep()
    {
        // A step recorded once and replayed: the state advance on the device changes the draw, no host in between.
        const int count = 257;
        using var state = new TrainingState(Gpu);
        using var normals = Gpu.CreateTensor("normals", count);
        state.Tensor.Upload<uint>([1u, 0u, 0u, 0u]);
        using var step = Sequence.Record(Gpu, "step", r =>
        {
            NoiseKernels.SampleStandardNormal(r, normals, state.Tensor, count, Seed, Stream);
            state.RecordAdvance(r, optimizerStep: true);
        });
        step.Submit().Wait();
        var firstStep = normals.ToArray();
        step.Submit().Wait();
        AssertNormalsClose(firstStep, 1, 0, "step 1");
        AssertNormalsClose(normals.ToArray(), 2, 1, "step 2");
    }

    [TestCase(1)]
    [TestCase(7)]
    [TestCase(1001)]
    public void AddGaussianNoiseMatchesReference(int count)
    {
        const float factor = 0.5f;
        var random = new Random(count);
        var clean = RandomArray(random, count, 0f, 1f);
        using var state = State(optimizerStep: 4, batch: 9);
        using var cleanTensor = Gpu.CreateTensor("clean", clean);
        using var noisyTensor = Gpu.CreateTensor("noisy", count);
        Gpu.Run(r => NoiseKernels.AddGaussianNoise(r, cleanTensor, noisyTensor, state, count, factor, Seed, Stream));
        var noisy = noisyTensor.ToArray();
        var expected = NoiseReference.AddGaussianNoise(clean, factor, Seed, Stream, 4, 9);
        // Clamping never widens a difference, so the noise's own tolerance bounds it (plus the rounding of clean + noise).
        for (int i = 0; i < count; i++)
            Assert.That(Math.Abs(noisy[i] - expected[i]), Is.LessThanOrEqualTo(factor * NormalTolerance(i, 4, 9) + 1e-7),
                $"noisy[{i}]: got {noisy[i]:R}, expected {expected[i]:R}");
        Assert.That(noisy, Is.All.InRange(0f, 1f));
        if (count > 100) Assert.That(noisy.Count(v => v is 0f or 1f), Is.GreaterThan(count / 10), "clamped elements");
    }
}
