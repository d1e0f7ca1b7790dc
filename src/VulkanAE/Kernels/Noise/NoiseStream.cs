namespace VulkanAE.Kernels.Noise;

/// <summary>
/// Who draws which noise: the stream key that, beside the seed, keys the Philox generator of
/// <see cref="NoiseKernels"/>. Each use has its own stream, so training, evaluation, pictures and
/// the viewer never draw each other's numbers, and a VAE's sampling never repeats a denoising
/// autoencoder's corruption. The values are part of what a seed fixes: changing one changes runs.
/// </summary>
internal enum NoiseStream : uint
{
    /// <summary>A VAE's sampling during training steps.</summary>
    TrainingSampling = 1,
    /// <summary>A VAE's sampling while the test set is evaluated.</summary>
    EvaluationSampling = 2,
    /// <summary>Pictures and commands on a saved run: a VAE's sampling, and the corruption a denoising autoencoder's reconstructions are shown with.</summary>
    Inference = 3,
    /// <summary>The corruption of training batches: a denoising autoencoder's noise, a CutPaste classifier's patches.</summary>
    TrainingCorruption = 4,
    /// <summary>The same corruption of the test batches.</summary>
    EvaluationCorruption = 5,
    /// <summary>The live window's encoder passes (its panels show posterior means).</summary>
    Viewer = 7,
    /// <summary>`vae evaluate --iw`: the K samples per image of the importance-weighted log-likelihood.</summary>
    ImportanceSampling = 8,
}
