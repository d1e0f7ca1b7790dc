using VulkanAE.Core;
using static VulkanAE.Core.SpecializationConstant;
using VulkanAE.Kernels.Noise;
using VulkanAE.Kernels.Reduce;

namespace VulkanAE.Kernels.Vae;

/// <summary>
/// The latent layer of a variational autoencoder over [rows, latent] tensors (row-major): the
/// reparameterized sample z = mean + exp(logVariance / 2) eps (shaders/vae/reparameterize.comp) and
/// its backward fused with the KL divergence to N(0, I) (shaders/vae/reparameterize_kl_backward.comp).
/// </summary>
internal static class VaeKernels
{
    private readonly record struct ForwardPush(uint Count);
    private readonly record struct BackwardPush(uint Rows, uint Latent, float KlScale);

    private static readonly KernelSignature<WorkgroupConstants> ForwardSignature
        = KernelSignature.Of<ForwardPush, WorkgroupConstants>("vae/reparameterize", Access.Read, Access.Read, Access.Read, Access.Write);
    private readonly record struct BackwardConstants(uint WorkgroupSize, bool OneWorkgroupPerRow) : ISpecializationConstants
    {
        public IReadOnlyList<SpecializationConstant> Constants => [Of(0, WorkgroupSize), Of(1, OneWorkgroupPerRow)];
    }

    private static readonly KernelSignature<BackwardConstants> BackwardSignature = KernelSignature.Of<BackwardPush, BackwardConstants>(
        "vae/reparameterize_kl_backward", Access.Read, Access.Read, Access.Read, Access.Read, Access.Write, Access.Write, Access.Write);

    /// <summary>
    /// Training: draws eps ~ N(0, 1) into <paramref name="epsilon"/> for the current step
    /// (<see cref="NoiseKernels.SampleStandardNormal"/>, keyed by seed and stream), then
    /// z = mean + exp(logVariance / 2) eps. Epsilon is kept for <see cref="ReparameterizeAndKlBackward"/>.
    /// Two dispatches rather than one fused shader, so that the z computed in training is exactly
    /// what <see cref="ReparameterizeWithEpsilon"/> computes for a given eps in parity tests.
    /// </summary>
    public static void Reparameterize(SequenceRecorder r, Tensor mean, Tensor logVariance, Tensor epsilon, Tensor z, Tensor trainingState,
        int rows, int latent, uint seed, uint stream)
    {
        long count = CheckShape("Reparameterize", rows, latent, mean, logVariance, epsilon, z);
        NoiseKernels.SampleStandardNormal(r, epsilon, trainingState, count, seed, stream);
        ReparameterizeWithEpsilon(r, mean, logVariance, epsilon, z, rows, latent);
    }

    /// <summary>z = mean + exp(logVariance / 2) eps for a given eps: the deterministic half of <see cref="Reparameterize"/>.</summary>
    public static void ReparameterizeWithEpsilon(SequenceRecorder r, Tensor mean, Tensor logVariance, Tensor epsilon, Tensor z, int rows, int latent)
    {
        long count = CheckShape("ReparameterizeWithEpsilon", rows, latent, mean, logVariance, epsilon, z);
        var kernel = r.Gpu.Kernel(ForwardSignature, new WorkgroupConstants(LinearDispatch.WorkgroupSize));
        r.Dispatch(kernel, LinearDispatch.Groups(r.Gpu, count), new ForwardPush((uint)count), CommandWork.MovingFloats(4.0 * count), mean, logVariance, epsilon, z);
    }

    /// <summary>
    /// Writes (does not accumulate) the gradients of the loss L = reconstruction + klWeight * KL with respect to
    /// mean and logVariance, and the unweighted KL of each row:
    /// <code>
    /// klRowLoss[r]       = -1/2 sum_c (1 + lv - mean^2 - exp(lv))
    /// meanGrad[i]        = zGrad[i] + klWeight * gradScale * mean[i]
    /// logVarianceGrad[i] = zGrad[i] eps[i] exp(lv[i] / 2) / 2 + klWeight * gradScale * (exp(lv[i]) - 1) / 2
    /// </code>
    /// zGrad already carries the reconstruction's reduction; <paramref name="gradScale"/> is the KL's
    /// (1/rows for a per-sample sum averaged over the batch, as in the loss kernels). The KL is fused
    /// into this backward because a VAE always needs both: one pass, no read-modify-write.
    /// For the reparameterization alone, pass klWeight 0.
    /// </summary>
    public static void ReparameterizeAndKlBackward(SequenceRecorder r, Tensor zGrad, Tensor epsilon, Tensor mean, Tensor logVariance,
        Tensor meanGrad, Tensor logVarianceGrad, Tensor klRowLoss, int rows, int latent, float klWeight, float gradScale, RowReduction? rowReduction = null)
    {
        CheckShape("ReparameterizeAndKlBackward", rows, latent, zGrad, epsilon, mean, logVariance, meanGrad, logVarianceGrad);
        if (klRowLoss.Length < rows) throw new ArgumentException($"ReparameterizeAndKlBackward: {klRowLoss} is shorter than its {rows} rows");
        var launch = RowReductions.Launch(r.Gpu, rowReduction, rows);
        var kernel = r.Gpu.Kernel(BackwardSignature, new BackwardConstants(launch.WorkgroupSize, launch.OneWorkgroupPerRow));
        r.Dispatch(kernel, launch.Groups, new BackwardPush((uint)rows, (uint)latent, klWeight * gradScale),
            CommandWork.MovingFloats(6.0 * rows * latent + rows), zGrad, epsilon, mean, logVariance, meanGrad, logVarianceGrad, klRowLoss);
    }

    private static long CheckShape(string kernel, int rows, int latent, params Tensor[] tensors)
    {
        if (rows <= 0 || latent <= 0) throw new ArgumentOutOfRangeException(nameof(rows), $"{kernel}: shape [{rows}, {latent}] must be positive");
        long count = (long)rows * latent;
        if (count > uint.MaxValue) throw new ArgumentOutOfRangeException(nameof(rows), $"{kernel}: [{rows}, {latent}] has more than 2^32 elements");
        foreach (var tensor in tensors)
            if (tensor.Length < count) throw new ArgumentException($"{kernel}: {tensor} is shorter than [{rows}, {latent}]");
        return count;
    }
}

/// <summary>CPU reference of <see cref="VaeKernels"/>, in double precision.</summary>
internal static class VaeReference
{
    public static float[] Reparameterize(ReadOnlySpan<float> mean, ReadOnlySpan<float> logVariance, ReadOnlySpan<float> epsilon)
    {
        var z = new float[mean.Length];
        for (int i = 0; i < z.Length; i++) z[i] = (float)(mean[i] + Math.Exp(0.5 * logVariance[i]) * epsilon[i]);
        return z;
    }

    /// <summary>KL(N(mean, exp(logVariance)) || N(0, I)) of each row.</summary>
    public static double[] KlDivergence(ReadOnlySpan<float> mean, ReadOnlySpan<float> logVariance, int rows, int latent)
    {
        var kl = new double[rows];
        for (int row = 0; row < rows; row++)
            for (int i = row * latent; i < (row + 1) * latent; i++)
                kl[row] -= 0.5 * (1 + logVariance[i] - (double)mean[i] * mean[i] - Math.Exp(logVariance[i]));
        return kl;
    }

    public static (float[] MeanGrad, float[] LogVarianceGrad, float[] KlRowLoss) ReparameterizeAndKlBackward(ReadOnlySpan<float> zGrad,
        ReadOnlySpan<float> epsilon, ReadOnlySpan<float> mean, ReadOnlySpan<float> logVariance, int rows, int latent, float klWeight, float gradScale)
    {
        double klScale = (double)klWeight * gradScale;
        var meanGrad = new float[mean.Length];
        var logVarianceGrad = new float[mean.Length];
        for (int i = 0; i < meanGrad.Length; i++)
        {
            meanGrad[i] = (float)(zGrad[i] + klScale * mean[i]);
            logVarianceGrad[i] = (float)(0.5 * (zGrad[i] * epsilon[i] * Math.Exp(0.5 * logVariance[i]) + klScale * (Math.Exp(logVariance[i]) - 1)));
        }
        var kl = KlDivergence(mean, logVariance, rows, latent).Select(v => (float)v).ToArray();
        return (meanGrad, logVarianceGrad, kl);
    }
}
