using VulkanAE.Core;
using VulkanAE.Kernels.Data;
using VulkanAE.Kernels.Elementwise;
using VulkanAE.Kernels.Noise;
using VulkanAE.Kernels.Training;
using VulkanAE.Kernels.Vae;
using VulkanAE.Models;
using VulkanAE.Training;

namespace VulkanAE.Evaluation;

/// <summary>
/// The importance-weighted estimate of a VAE's log-likelihood (the IWAE bound L_K, Burda et al.
/// 2015): for each image x, K samples z_k ~ q(z|x) and
/// <code>L_K(x) = log (1/K) sum_k p(x|z_k) p(z_k) / q(z_k|x)</code>
/// a lower bound of log p(x) that rises to it as K grows; L_1 is the ELBO (the negative test loss,
/// in expectation). All on the device: a chunk of images is encoded once, then their samples are
/// decoded in chunks of the model's rows (sample-major: row = s * images + b), each sample's log
/// weight is written to [images, K], and one pass per image takes the stable log-mean-exp.
/// The noise comes from the seed alone (its own stream), so an estimate is repeatable.
/// A conditional VAE is given each image's label in the encoder and in every sample's decoding: the
/// estimate is then of log p(x | label).
/// </summary>
internal sealed class ImportanceWeightedLikelihood : IDisposable
{
    /// <summary>Rows the model should be built for: the samples decoded at once, of one image, or of several when K is smaller.</summary>
    public const int DecodeRows = 1000;

    private readonly Gpu _gpu;
    private readonly Autoencoder _model;
    private readonly VariationalBottleneck _bottleneck;
    private readonly uint _seed;

    /// <summary>Advances once per chunk of images: where the gather reads.</summary>
    private readonly TrainingState _imageState;

    /// <summary>Advances once per chunk of samples: what noise they draw.</summary>
    private readonly TrainingState _noiseState;

    /// <summary>A conditional VAE's labels of the chunk's images, [ImagesPerChunk]; null otherwise.</summary>
    private readonly Tensor? _imageLabels;

    private readonly Tensor _batch, _mean, _logVariance, _epsilon, _z, _logWeights, _estimates;

    /// <param name="samples">K, the importance samples per image.</param>
    public ImportanceWeightedLikelihood(Gpu gpu, Autoencoder model, int samples, int seed)
    {
        if (model.Bottleneck is not { } bottleneck)
            throw new UserInputException($"--iw: {model.Spec.Name} is not a VAE; the importance-weighted likelihood needs an encoder q(z|x) and a prior");
        if (model.Spec.Loss != ReconstructionLoss.BinaryCrossEntropy)
            throw new UserInputException($"--iw: {model.Spec.Name} has an MSE loss, which defines no likelihood p(x|z) without a noise variance; "
                + "the estimate needs a Bernoulli decoder (loss bce)");
        if (samples < 1) throw new UserInputException($"--iw must be at least 1 sample, got {samples}");
        _gpu = gpu;
        _model = model;
        _bottleneck = bottleneck;
        _seed = (uint)seed;
        Samples = samples;
        SamplesPerChunk = Math.Min(samples, model.MaxRows);
        ImagesPerChunk = Math.Max(1, model.MaxRows / SamplesPerChunk);
        int rows = SamplesPerChunk * ImagesPerChunk, features = model.Features, latent = bottleneck.Latent;
        _imageState = new TrainingState(gpu);
        _noiseState = new TrainingState(gpu);
        gpu.Run(r =>
        {
            r.Fill(_imageState.Tensor);
            r.Fill(_noiseState.Tensor);
        });
        _batch = gpu.CreateTensor("iw.batch", (long)ImagesPerChunk * features);
        _mean = gpu.CreateTensor("iw.mean", (long)rows * latent);
        _logVariance = gpu.CreateTensor("iw.log_variance", (long)rows * latent);
        _epsilon = gpu.CreateTensor("iw.epsilon", (long)rows * latent);
        _z = gpu.CreateTensor("iw.z", (long)rows * latent);
        _logWeights = gpu.CreateTensor("iw.log_weights", (long)ImagesPerChunk * samples);
        _estimates = gpu.CreateTensor("iw.estimates", ImagesPerChunk);
        _imageLabels = model.Labels is null ? null : gpu.CreateTensor("iw.labels", ImagesPerChunk);
    }

    public int Samples { get; }
    public int SamplesPerChunk { get; }
    public int ImagesPerChunk { get; }

    /// <summary>L_K of every image of <paramref name="images"/>, in stored order, in nats; <paramref name="progress"/> hears (done, total) after each chunk.</summary>
    public double[] Estimate(DeviceDataset images, Action<int, int>? progress = null)
    {
        var estimates = new double[images.Count];
        var chunk = new float[ImagesPerChunk];
        _imageState.StartPass();
        for (int first = 0; first < images.Count; first += ImagesPerChunk)
        {
            int count = Math.Min(ImagesPerChunk, images.Count - first);
            _gpu.Run(r => RecordChunk(r, images, count));
            _estimates.Download<float>(chunk.AsSpan(0, count));
            for (int i = 0; i < count; i++) estimates[first + i] = chunk[i];
            progress?.Invoke(first + count, images.Count);
        }
        return estimates;
    }

    /// <summary>
    /// The GPU time of each command of the first chunk of <paramref name="images"/>, serialised and
    /// timed one by one (`vae bench --suite iw`): where the estimate spends its time.
    /// </summary>
    public IReadOnlyList<(string Label, double Milliseconds, CommandWork Work)> ProfileChunk(DeviceDataset images)
    {
        _imageState.StartPass();
        int count = Math.Min(ImagesPerChunk, images.Count);
        using var profiled = Sequence.Record(_gpu, "profiled importance sampling chunk", r => RecordChunk(r, images, count), profile: true);
        profiled.Submit().Wait();
        return profiled.CommandTimes().Zip(profiled.CommandWork, (time, work) => (time.Label, time.Milliseconds, work)).ToArray();
    }

    private void RecordChunk(SequenceRecorder r, DeviceDataset images, int count)
    {
        int features = _model.Features, latent = _bottleneck.Latent;
        BatchGather.Gather(r, images.Pixels, images.Order, _imageState.Tensor, _batch, count, features, ImagesPerChunk, _model.Spec.Range);
        if (_imageLabels is not null)
        {
            BatchGather.GatherLabels(r, images.Labels ?? throw new UserInputException($"{_model.Spec.Name} is conditioned on labels; {images.Source.Name} has none"),
                images.Order, _imageState.Tensor, _imageLabels, count, ImagesPerChunk);
            ElementwiseKernels.Repeat(r, _imageLabels, _model.Labels!, count, count);
        }
        _model.Encoder.Forward(r, _batch, count);
        _bottleneck.Forward(r, _model.Encoder.Output, count, _noiseState.Tensor, NoiseStream.ImportanceSampling);
        for (int firstSample = 0; firstSample < Samples; firstSample += SamplesPerChunk)
        {
            int samples = Math.Min(SamplesPerChunk, Samples - firstSample), rows = samples * count;
            ElementwiseKernels.Repeat(r, _bottleneck.Mean, _mean, (long)rows * latent, (long)count * latent);
            ElementwiseKernels.Repeat(r, _bottleneck.LogVariance, _logVariance, (long)rows * latent, (long)count * latent);
            if (_imageLabels is not null) ElementwiseKernels.Repeat(r, _imageLabels, _model.Labels!, rows, count);
            NoiseKernels.SampleStandardNormal(r, _epsilon, _noiseState.Tensor, (long)rows * latent, _seed, (uint)NoiseStream.ImportanceSampling);
            VaeKernels.ReparameterizeWithEpsilon(r, _mean, _logVariance, _epsilon, _z, rows, latent);
            _model.RecordDecode(r, _z, rows, reconstruction: false);
            ImportanceSamplingKernels.LogWeights(r, _model.Decoder.Output, _batch, _epsilon, _z, _logVariance, _logWeights,
                new ImportanceChunk(count, samples, firstSample, Samples, features, latent));
            _noiseState.RecordAdvance(r, optimizerStep: false);
        }
        ImportanceSamplingKernels.LogMeanExp(r, _logWeights, _estimates, count, Samples);
        _imageState.RecordAdvance(r, optimizerStep: false);
    }

    public void Dispose()
    {
        _imageState.Dispose();
        _noiseState.Dispose();
        _imageLabels?.Dispose();
        foreach (var tensor in new[] { _batch, _mean, _logVariance, _epsilon, _z, _logWeights, _estimates }) tensor.Dispose();
    }
}
