using VulkanAE.Core;
using VulkanAE.Kernels.Noise;
using VulkanAE.Kernels.Reduce;
using VulkanAE.Kernels.Vae;

namespace VulkanAE.Tests.Kernels.Vae;

public class VaeTests : GpuTest
{
    private static readonly object[] Shapes = [new[] { 1, 1 }, new[] { 3, 7 }, new[] { 13, 20 }, new[] { 257, 33 }];

    private float[] Reparameterize(float[] mean, float[] logVariance, float[] epsilon, int rows, int latent)
    {
        using var m = Gpu.CreateTensor("mean", mean);
        using var lv = Gpu.CreateTensor("logVariance", logVariance);
        using var eps = Gpu.CreateTensor("epsilon", epsilon);
        using var z = Gpu.CreateTensor("z", mean.Length);
        Gpu.Run(r => VaeKernels.ReparameterizeWithEpsilon(r, m, lv, eps, z, rows, latent));
        return z.ToArray();
    }

    private (float[] MeanGrad, float[] LogVarianceGrad, float[] KlRowLoss) Backward(float[] zGrad, float[] epsilon, float[] mean, float[] logVariance,
        int rows, int latent, float klWeight, float gradScale, RowReduction? rowReduction = null)
    {
        using var dz = Gpu.CreateTensor("zGrad", zGrad);
        using var eps = Gpu.CreateTensor("epsilon", epsilon);
        using var m = Gpu.CreateTensor("mean", mean);
        using var lv = Gpu.CreateTensor("logVariance", logVariance);
        using var dm = Gpu.CreateTensor("meanGrad", mean.Length);
        using var dlv = Gpu.CreateTensor("logVarianceGrad", mean.Length);
        using var kl = Gpu.CreateTensor("klRowLoss", rows);
        Gpu.Run(r => VaeKernels.ReparameterizeAndKlBackward(r, dz, eps, m, lv, dm, dlv, kl, rows, latent, klWeight, gradScale, rowReduction));
        return (dm.ToArray(), dlv.ToArray(), kl.ToArray());
    }

    /// <summary>Means in [-2, 2], log-variances in [-3, 1.5], standard-normal-ish epsilon in [-2.5, 2.5].</summary>
    private static (float[] Mean, float[] LogVariance, float[] Epsilon) Latents(Random random, int count)
        => (RandomArray(random, count, -2f, 2f), RandomArray(random, count, -3f, 1.5f), RandomArray(random, count, -2.5f, 2.5f));

    [TestCaseSource(nameof(Shapes))]
    public void ReparameterizeWithEpsilonMatchesReference(int rows, int latent)
    {
        var (mean, logVariance, epsilon) = Latents(new Random(rows * 100 + latent), rows * latent);
        AssertClose(Reparameterize(mean, logVariance, epsilon, rows, latent), VaeReference.Reparameterize(mean, logVariance, epsilon),
            rtol: 1e-5f, atol: 1e-6f, what: $"z [{rows}, {latent}]");
    }

    [Test]
    public void ReparameterizeSamplesEpsilonForTheStepAndKeepsIt()
    {
        const int rows = 13, latent = 20;
        const uint seed = 99, stream = 2;
        var (mean, logVariance, _) = Latents(new Random(5), rows * latent);
        using var m = Gpu.CreateTensor("mean", mean);
        using var lv = Gpu.CreateTensor("logVariance", logVariance);
        using var eps = Gpu.CreateTensor("epsilon", rows * latent);
        using var z = Gpu.CreateTensor("z", rows * latent);
        using var state = Gpu.CreateTensor("trainingState", 4);
        state.Upload<uint>([6u, 1u, 0u, 0u]);
        Gpu.Run(r => VaeKernels.Reparameterize(r, m, lv, eps, z, state, rows, latent, seed, stream));
        var epsilon = eps.ToArray();
        // The sampled epsilon is the step's draw (within Vulkan's transcendental accuracy; NoiseTests bounds it exactly) ...
        AssertClose(epsilon, NoiseReference.StepNormals(rows * latent, seed, stream, 6, 1).Select(v => (float)v).ToArray(),
            rtol: 0f, atol: 4e-3f, what: "epsilon");
        // ... and z is computed from the kept epsilon.
        AssertClose(z.ToArray(), VaeReference.Reparameterize(mean, logVariance, epsilon), rtol: 1e-5f, atol: 1e-6f, what: "z");
    }

    [TestCaseSource(nameof(Shapes))]
    public void BackwardMatchesReference(int rows, int latent)
    {
        var random = new Random(rows * 100 + latent + 1);
        var (mean, logVariance, epsilon) = Latents(random, rows * latent);
        var zGrad = RandomArray(random, rows * latent, -0.1f, 0.1f);
        const float klWeight = 0.7f;
        float gradScale = 1f / rows;
        var expected = VaeReference.ReparameterizeAndKlBackward(zGrad, epsilon, mean, logVariance, rows, latent, klWeight, gradScale);
        foreach (var reduction in Enum.GetValues<RowReduction>())
        {
            var (meanGrad, logVarianceGrad, kl) = Backward(zGrad, epsilon, mean, logVariance, rows, latent, klWeight, gradScale, reduction);
            AssertClose(meanGrad, expected.MeanGrad, rtol: 1e-5f, atol: 1e-7f, what: $"meanGrad, one {reduction} per row");
            AssertClose(logVarianceGrad, expected.LogVarianceGrad, rtol: 1e-5f, atol: 1e-7f, what: $"logVarianceGrad, one {reduction} per row");
            AssertClose(kl, expected.KlRowLoss, rtol: 2e-5f, atol: 1e-5f, what: $"klRowLoss, one {reduction} per row");
        }
    }

    [Test]
    public void KlDivergenceOfKnownGaussians()
    {
        // Per element KL(N(m, s^2) || N(0, 1)) = (m^2 + s^2 - 1 - ln s^2) / 2: 0 for N(0, 1), 1/2 for N(1, 1),
        // (1 - ln 2) / 2 for N(0, 2), (4 + e - 2) / 2 for N(2, e) (log-variance 1).
        float[] mean = [0f, 1f, 0f, 2f, 0f, 0f];
        float[] logVariance = [0f, 0f, MathF.Log(2f), 1f, 0f, 0f];
        var (_, _, kl) = Backward(new float[6], new float[6], mean, logVariance, rows: 3, latent: 2, klWeight: 1f, gradScale: 1f);
        AssertClose(kl, [0.5f, (float)((1 - Math.Log(2)) / 2 + (4 + Math.E - 2) / 2), 0f], rtol: 1e-6f, atol: 1e-6f, what: "klRowLoss");
    }

    [Test]
    public void GradientsAreTheDerivativeOfTheWeightedLoss()
    {
        // L(mean, lv) = sum(w * z) + klWeight * gradScale * sum_r KL_r, with epsilon fixed: dL/dz = w.
        const int rows = 3, latent = 7, count = rows * latent;
        const float klWeight = 0.8f, gradScale = 1f / rows;
        var random = new Random(17);
        var (mean, logVariance, epsilon) = Latents(random, count);
        var weights = RandomArray(random, count);
        var (meanGrad, logVarianceGrad, _) = Backward(weights, epsilon, mean, logVariance, rows, latent, klWeight, gradScale);

        double Loss(float[] parameters)
        {
            var m = parameters[..count];
            var lv = parameters[count..];
            var kl = Backward(new float[count], epsilon, m, lv, rows, latent, klWeight, gradScale).KlRowLoss;
            return FiniteDifference.WeightedSum(Reparameterize(m, lv, epsilon, rows, latent), weights) + klWeight * gradScale * kl.Sum(v => (double)v);
        }
        FiniteDifference.Check(Loss, [.. mean, .. logVariance], [.. meanGrad, .. logVarianceGrad], "d(mean, logVariance)", eps: 1e-2f, samples: 2 * count);
    }

    [Test]
    public void BackwardIsBitIdenticalFromRunToRun()
    {
        const int rows = 257, latent = 33;
        var random = new Random(23);
        var (mean, logVariance, epsilon) = Latents(random, rows * latent);
        var zGrad = RandomArray(random, rows * latent);
        var first = Backward(zGrad, epsilon, mean, logVariance, rows, latent, 1f, 1f / rows);
        var second = Backward(zGrad, epsilon, mean, logVariance, rows, latent, 1f, 1f / rows);
        Assert.That(second.KlRowLoss, Is.EqualTo(first.KlRowLoss).AsCollection);
        Assert.That(second.MeanGrad, Is.EqualTo(first.MeanGrad).AsCollection);
        Assert.That(second.LogVarianceGrad, Is.EqualTo(first.LogVarianceGrad).AsCollection);
    }
}
