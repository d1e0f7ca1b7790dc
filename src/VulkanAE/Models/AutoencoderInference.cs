using VulkanAE.Core;
using VulkanAE.Kernels.Anomaly;
using VulkanAE.Kernels.Data;
using VulkanAE.Kernels.Noise;
using VulkanAE.Kernels.Training;
using VulkanAE.Training;

namespace VulkanAE.Models;

/// <summary>
/// A trained model used as a function, in chunks of at most MaxRows samples: reconstruct images,
/// encode a dataset to latent positions, decode arbitrary codes. For pictures and the `vae`
/// commands that read a run directory; not on the training hot path.
/// </summary>
internal sealed class AutoencoderInference(Gpu gpu, Autoencoder model) : IDisposable
{
    /// <summary>Its own counters, so inference never disturbs a trainer's optimizer step.</summary>
    private readonly TrainingState _state = CreateState(gpu);
    private readonly Tensor _batch = gpu.CreateTensor("inference.batch", (long)model.MaxRows * model.Features);
    private readonly Tensor _codes = gpu.CreateTensor("inference.codes", (long)model.MaxRows * model.CodeSize);

    public Autoencoder Model => model;

    private static TrainingState CreateState(Gpu gpu)
    {
        var state = new TrainingState(gpu);
        gpu.Run(r => r.Fill(state.Tensor));
        return state;
    }

    /// <summary>
    /// The first <paramref name="count"/> images of the dataset (the clean targets), what the model was
    /// shown (with <paramref name="noise"/> above 0, the images with Gaussian noise drawn on the GPU, as a
    /// denoising autoencoder trains), and its reconstructions; NCHW in the model's pixel range.
    /// </summary>
    public (float[] Clean, float[] Input, float[] Output) Reconstruct(DeviceDataset images, int count, float noise = 0f)
    {
        count = Math.Min(count, images.Count);
        int features = model.Features;
        var clean = new float[(long)count * features];
        var input = noise > 0 ? new float[clean.Length] : clean;
        var output = new float[clean.Length];
        using var noisy = noise > 0 ? gpu.CreateTensor("inference.noisy", (long)model.MaxRows * features) : null;
        ForEachChunk(images, count, (r, rows) =>
        {
            if (noisy is not null)
                NoiseKernels.AddGaussianNoise(r, _batch, noisy, _state.Tensor, (long)rows * features, noise, seed: 0, (uint)NoiseStream.Inference);
            model.RecordForward(r, noisy ?? _batch, rows, _state.Tensor, NoiseStream.Inference);
        }, (first, rows) =>
        {
            _batch.Download<float>(clean.AsSpan(first * features, rows * features));
            noisy?.Download<float>(input.AsSpan(first * features, rows * features));
            model.Reconstruction.Download<float>(output.AsSpan(first * features, rows * features));
        });
        return (clean, input, output);
    }

    /// <summary>
    /// Every image of the dataset (NCHW in the model's pixel range), a CutPaste classifier's logit for it, and where the logit
    /// looks: [count, height, width], the size of the logit's gradient with respect to each pixel, the root mean square over
    /// channels (a backward pass from the logit to the input; shaders/anomaly/error_map.comp's mean square against zero, its
    /// root here: the square alone shows only the few largest). The logit is the decoder's
    /// output before the sigmoid, so that scores far from 0 stay apart. The backward pass overwrites the parameters' gradients.
    /// </summary>
    public (float[] Images, float[] Logits, float[] Maps) Classify(DeviceDataset images)
    {
        if (model.Spec.Reconstructs) throw new InvalidOperationException($"{model.Spec.Name} reconstructs images; it has no logit per image");
        var shape = model.Spec.InputShape;
        int features = model.Features, pixels = shape.Height * shape.Width;
        var clean = new float[(long)images.Count * features];
        var logits = new float[images.Count];
        var maps = new float[(long)images.Count * pixels];
        using var ones = gpu.CreateTensor("inference.logit_grad", Enumerable.Repeat(1f, model.MaxRows).ToArray());
        using var zeros = gpu.CreateTensor("inference.zeros", (long)model.MaxRows * features);
        using var map = gpu.CreateTensor("inference.saliency", (long)model.MaxRows * pixels);
        gpu.Run(r => r.Fill(zeros));
        ForEachChunk(images, images.Count, (r, rows) =>
        {
            model.RecordForward(r, _batch, rows, _state.Tensor, NoiseStream.Inference, reconstruction: false);
            var headGradient = model.Decoder.Backward(r, model.Encoder.Output, ones, rows, inputGradient: true)!;
            var inputGradient = model.Encoder.Backward(r, _batch, headGradient, rows, inputGradient: true)!;
            ErrorMapKernels.ErrorMap(r, inputGradient, zeros, map, PixelError.Squared, rows, shape.Channels, shape.Height, shape.Width);
        }, (first, rows) =>
        {
            _batch.Download<float>(clean.AsSpan(first * features, rows * features));
            model.Decoder.Output.Download<float>(logits.AsSpan(first, rows));
            map.Download<float>(maps.AsSpan(first * pixels, rows * pixels));
        });
        for (long i = 0; i < maps.LongLength; i++) maps[i] = MathF.Sqrt(maps[i]);
        return (clean, logits, maps);
    }

    /// <summary>Latent positions (posterior means for a VAE) of every image, [count, CodeSize], in stored order.</summary>
    public float[] Encode(DeviceDataset images)
    {
        int width = model.CodeSize;
        var positions = new float[(long)images.Count * width];
        Encode(images, (_, _) => { }, (first, rows) => model.LatentPosition.Download<float>(positions.AsSpan(first * width, rows * width)));
        return positions;
    }

    /// <summary>
    /// Runs the encoder (and a VAE's bottleneck) over every image in chunks of at most MaxRows: <paramref name="record"/>
    /// adds work on the encoder's layer outputs, which hold the chunk's rows, and <paramref name="collect"/> reads the
    /// results for images first..first+rows.
    /// </summary>
    public void Encode(DeviceDataset images, Action<SequenceRecorder, int> record, Action<int, int> collect)
        => ForEachChunk(images, images.Count, (r, rows) =>
        {
            model.Encoder.Forward(r, _batch, rows);
            model.Bottleneck?.Forward(r, model.Encoder.Output, rows, _state.Tensor, NoiseStream.Inference);
            record(r, rows);
        }, collect);

    /// <summary>
    /// Latent positions of images [count, Features] (NCHW in the model's pixel range), [count, CodeSize]:
    /// the posterior means for a VAE, with the log-variances beside them (null for an autoencoder).
    /// A conditional VAE reads each image's class from <paramref name="labels"/> (one per image).
    /// </summary>
    public (float[] Position, float[]? LogVariance) Encode(ReadOnlySpan<float> images, ReadOnlySpan<int> labels = default)
    {
        int width = model.CodeSize;
        var position = new float[(long)Count(images, labels) * width];
        var logVariance = model.IsVariational ? new float[position.Length] : null;
        ForEachChunk(images, labels, (r, rows) =>
        {
            model.Encoder.Forward(r, _batch, rows);
            model.Bottleneck?.Forward(r, model.Encoder.Output, rows, _state.Tensor, NoiseStream.Inference);
        }, (first, rows) =>
        {
            model.LatentPosition.Download<float>(position.AsSpan(first * width, rows * width));
            model.Bottleneck?.LogVariance.Download<float>(logVariance.AsSpan(first * width, rows * width));
        });
        return (position, logVariance);
    }

    /// <summary>
    /// Reconstructions of images [count, Features] (NCHW in the model's pixel range) by the forward pass:
    /// a VAE decodes a code z drawn from each image's posterior, as in training; a conditional VAE
    /// encodes and decodes each image as the class <paramref name="labels"/> gives it (one per image).
    /// </summary>
    public float[] Reconstruct(ReadOnlySpan<float> images, ReadOnlySpan<int> labels = default)
    {
        var output = new float[(long)Count(images, labels) * model.Features];
        ForEachChunk(images, labels, (r, rows) => model.RecordForward(r, _batch, rows, _state.Tensor, NoiseStream.Inference),
            (first, rows) => model.Reconstruction.Download<float>(output.AsSpan(first * model.Features, rows * model.Features)));
        return output;
    }

    private int Count(ReadOnlySpan<float> images, ReadOnlySpan<int> labels)
    {
        if (images.Length % model.Features != 0)
            throw new ArgumentException($"{images.Length} values are not a whole number of {model.Spec.InputShape} images ({model.Features} values each) for {model.Spec.Name}");
        int count = images.Length / model.Features;
        CheckLabels(labels, count, "images");
        return count;
    }

    /// <summary>Refuses labels that are not one class of the model's per sample, or any label for a model without a condition.</summary>
    private void CheckLabels(ReadOnlySpan<int> labels, int count, string samples)
    {
        if (model.ConditionClasses is int classes && (labels.Length != count || labels.ToArray().Any(label => label < 0 || label >= classes)))
            throw new ArgumentException($"{model.Spec.Name} is conditioned on {classes} classes: give each of the {count} {samples} a class from 0 to {classes - 1} "
                + $"({labels.Length} label{(labels.Length == 1 ? "" : "s")} given)");
        if (model.Labels is null && labels.Length > 0)
            throw new ArgumentException($"{model.Spec.Name} is not conditioned on labels: its {samples} take no class");
    }

    /// <summary>A conditional model's classes of samples first..first+rows into its label tensor (as floats, what the concat kernel reads).</summary>
    private void UploadLabels(ReadOnlySpan<int> labels, int first, int rows)
    {
        if (model.Labels is not { } tensor) return;
        var rowClasses = new float[rows];
        for (int i = 0; i < rows; i++) rowClasses[i] = labels[first + i];
        tensor.Upload<float>(rowClasses);
    }

    /// <summary>
    /// As the dataset walk below, for images (and a conditional model's labels) given on the host: uploads each
    /// chunk into the batch tensor. A loop of its own because a span cannot be captured by the lambda the other walk would take.
    /// </summary>
    private void ForEachChunk(ReadOnlySpan<float> images, ReadOnlySpan<int> labels, Action<SequenceRecorder, int> record, Action<int, int> collect)
    {
        int count = images.Length / model.Features;
        _state.StartPass();
        for (int first = 0; first < count; first += model.MaxRows)
        {
            int rows = Math.Min(model.MaxRows, count - first);
            _batch.Upload(images.Slice(first * model.Features, rows * model.Features));
            UploadLabels(labels, first, rows);
            gpu.Run(r =>
            {
                record(r, rows);
                _state.RecordAdvance(r, optimizerStep: false);
            });
            collect(first, rows);
        }
    }

    /// <summary>
    /// Each image's loss terms (reconstruction, and KL for a VAE: <see cref="Autoencoder.LossTerms"/>)
    /// in the model's unit (per pixel for an AE, nats for a VAE), [term][image] in stored order; a
    /// VAE's z is sampled once per image, as the test loss of training does.
    /// </summary>
    public double[][] LossTerms(DeviceDataset images)
    {
        var terms = model.LossTerms.Select(_ => new double[images.Count]).ToArray();
        var sums = model.LossTerms.Select(term => gpu.CreateTensor($"inference.{term}_sum", 1)).ToArray();
        var rowTensors = model.Bottleneck is { } bottleneck ? new[] { model.ReconstructionRowLoss, bottleneck.KlRowLoss } : [model.ReconstructionRowLoss];
        double perImage = model.IsVariational ? 1 : model.Features;
        var rowLosses = new float[model.MaxRows];
        try
        {
            ForEachChunk(images, images.Count, (r, rows) =>
            {
                model.RecordForward(r, _batch, rows, _state.Tensor, NoiseStream.Inference, reconstruction: false);
                model.RecordLoss(r, _batch, rows, sums);
            }, (first, rows) =>
            {
                for (int t = 0; t < terms.Length; t++)
                {
                    rowTensors[t].Download<float>(rowLosses.AsSpan(0, rows));
                    for (int i = 0; i < rows; i++) terms[t][first + i] = rowLosses[i] / perImage;
                }
            });
        }
        finally
        {
            foreach (var sum in sums) sum.Dispose();
        }
        return terms;
    }

    /// <summary>
    /// Walks the first <paramref name="count"/> images in chunks of at most MaxRows: gathers each
    /// chunk into the batch tensor, runs <paramref name="record"/> on it, then <paramref name="collect"/>
    /// reads the results for images first..first+rows.
    /// </summary>
    private void ForEachChunk(DeviceDataset images, int count, Action<SequenceRecorder, int> record, Action<int, int> collect)
    {
        _state.StartPass();
        for (int first = 0; first < count; first += model.MaxRows)
        {
            int rows = Math.Min(model.MaxRows, count - first);
            gpu.Run(r =>
            {
                BatchGather.Gather(r, images.Pixels, images.Order, _state.Tensor, _batch, rows, model.Features, model.MaxRows, model.Spec.Range);
                if (model.Labels is { } labels)
                    BatchGather.GatherLabels(r, images.Labels ?? throw new ArgumentException($"{model.Spec.Name} is conditioned on labels; {images.Source.Name} has none"),
                        images.Order, _state.Tensor, labels, rows, model.MaxRows);
                record(r, rows);
                _state.RecordAdvance(r, optimizerStep: false);
            });
            collect(first, rows);
        }
    }

    /// <summary>
    /// Decodes codes [count, CodeSize] into images [count, Features] in the model's pixel range; a
    /// conditional VAE decodes each code as the class <paramref name="labels"/> gives it (one per code).
    /// </summary>
    public float[] Decode(ReadOnlySpan<float> codes, ReadOnlySpan<int> labels = default)
    {
        int width = model.CodeSize;
        if (codes.Length % width != 0)
            throw new ArgumentException($"{codes.Length} values are not a whole number of codes of {width} values for {model.Spec.Name}");
        int count = codes.Length / width;
        CheckLabels(labels, count, "codes");
        var images = new float[(long)count * model.Features];
        for (int first = 0; first < count; first += model.MaxRows)
        {
            int rows = Math.Min(model.MaxRows, count - first);
            _codes.Upload(codes.Slice(first * width, rows * width));
            UploadLabels(labels, first, rows);
            gpu.Run(r => model.RecordDecode(r, _codes, rows));
            model.Reconstruction.Download<float>(images.AsSpan(first * model.Features, rows * model.Features));
        }
        return images;
    }

    public void Dispose()
    {
        _state.Dispose();
        _batch.Dispose();
        _codes.Dispose();
    }
}
