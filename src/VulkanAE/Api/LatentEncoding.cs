namespace VulkanAE;

/// <summary>Where a model puts each of a batch of images in its latent space.</summary>
/// <param name="Codes">[count, CodeSize] row-major: the codes of an autoencoder, the posterior means of a VAE.</param>
/// <param name="LogVariances">[count, CodeSize]: a VAE's posterior log-variances; null for an autoencoder.</param>
public sealed record LatentEncoding(float[] Codes, float[]? LogVariances);
