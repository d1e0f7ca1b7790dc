using VulkanAE.Data;
using VulkanAE.Export;
using VulkanAE.Kernels.Data;
using VulkanAE.Training;

namespace VulkanAE;

/// <summary>
/// A trained autoencoder or VAE from a run directory (what `vae train` or <see cref="ModelTraining.Train"/>
/// writes), on a device, used as a function. Images are float arrays of whole images, NCHW, in the
/// model's pixel range (<see cref="MinPixel"/> to <see cref="MaxPixel"/>); any number of them is
/// processed in batches on the device. Not thread-safe.
/// </summary>
public sealed class TrainedModel : IDisposable
{
    private readonly TrainedRun _run;

    private TrainedModel(TrainedRun run) => _run = run;

    /// <summary>Rebuilds the run's model on <paramref name="device"/> with its trained weights.</summary>
    /// <param name="device">The device to run on; it stays open when the model is disposed.</param>
    /// <param name="runDirectory">A run directory written by `vae train` or <see cref="ModelTraining.Train"/>.</param>
    /// <returns>The model, ready to encode and decode.</returns>
    /// <exception cref="Exception">The directory holds no run, or a damaged one: the message names the file and what to fix.</exception>
    public static TrainedModel Load(VulkanDevice device, string runDirectory)
    {
        var run = TrainedRun.Open(runDirectory, device.Gpu);
        if (run.Model.Spec.Reconstructs) return new TrainedModel(run);
        run.Dispose();
        throw new ArgumentException($"{runDirectory} holds {run.Model.Spec.Name}, a CutPaste classifier: it neither encodes nor decodes; score with `vae anomaly --score logit`");
    }

    /// <summary>The model's name, e.g. "conv-vae".</summary>
    public string Name => _run.Model.Spec.Name;

    /// <summary>What the model is, in a few words, e.g. "convolutional VAE, latent 2".</summary>
    public string Description => _run.Model.Spec.Description;

    /// <summary>The shape of the images the model takes and gives.</summary>
    public ImageShape ImageShape => new(_run.Model.Spec.InputShape.Channels, _run.Model.Spec.InputShape.Height, _run.Model.Spec.InputShape.Width);

    /// <summary>Floats per latent code: the VAE's latent dimensions, or the size of the autoencoder's code.</summary>
    public int CodeSize => _run.Model.CodeSize;

    /// <summary>Whether the model is a VAE: its encoder gives a posterior (mean and log-variance) and it can <see cref="Sample"/>.</summary>
    public bool IsVariational => _run.Model.IsVariational;

    /// <summary>
    /// For a conditional VAE (trained with --condition labels), how many classes it takes: every call that encodes or
    /// decodes then needs one class per image or code, from 0 to ConditionClasses - 1. Null for a model without a condition.
    /// </summary>
    public int? ConditionClasses => _run.Model.ConditionClasses;

    /// <summary>The darkest pixel value: 0, or -1 for a model with a tanh output.</summary>
    public float MinPixel => _run.Model.Spec.Range == PixelRange.Symmetric ? -1f : 0f;

    /// <summary>The brightest pixel value: 1.</summary>
    public float MaxPixel => 1f;

    /// <summary>Encodes images into the latent space.</summary>
    /// <param name="images">[count, Channels, Height, Width] floats in the model's pixel range.</param>
    /// <param name="labels">A conditional VAE's class of each image (see <see cref="ConditionClasses"/>); none for other models.</param>
    /// <returns>Each image's code (a VAE's posterior mean) and, for a VAE, its log-variance.</returns>
    /// <exception cref="ArgumentException">
    /// The floats are not a whole number of images of <see cref="ImageShape"/>, or the labels are not one class per image of a conditional VAE (or are given to another model).
    /// </exception>
    public LatentEncoding Encode(ReadOnlySpan<float> images, ReadOnlySpan<int> labels = default)
    {
        var (codes, logVariances) = _run.Inference.Encode(images, labels);
        return new LatentEncoding(codes, logVariances);
    }

    /// <summary>Decodes latent codes into images, through the model's output activation.</summary>
    /// <param name="codes">[count, CodeSize] floats.</param>
    /// <param name="labels">A conditional VAE's class to decode each code as (see <see cref="ConditionClasses"/>); none for other models.</param>
    /// <returns>[count, Channels, Height, Width] floats in the model's pixel range.</returns>
    /// <exception cref="ArgumentException">
    /// The floats are not a whole number of codes of <see cref="CodeSize"/>, or the labels are not one class per code of a conditional VAE (or are given to another model).
    /// </exception>
    public float[] Decode(ReadOnlySpan<float> codes, ReadOnlySpan<int> labels = default) => _run.Inference.Decode(codes, labels);

    /// <summary>Reconstructs images by the model's forward pass; a VAE decodes a code drawn from each image's posterior, as in training.</summary>
    /// <param name="images">[count, Channels, Height, Width] floats in the model's pixel range.</param>
    /// <param name="labels">A conditional VAE's class of each image (see <see cref="ConditionClasses"/>); none for other models.</param>
    /// <returns>The reconstructions, shaped as <paramref name="images"/>.</returns>
    /// <exception cref="ArgumentException">
    /// The floats are not a whole number of images of <see cref="ImageShape"/>, or the labels are not one class per image of a conditional VAE (or are given to another model).
    /// </exception>
    public float[] Reconstruct(ReadOnlySpan<float> images, ReadOnlySpan<int> labels = default) => _run.Inference.Reconstruct(images, labels);

    /// <summary>Decodes codes drawn from a VAE's prior N(0, I): new images. The same seed gives the same images.</summary>
    /// <param name="count">How many images.</param>
    /// <param name="seed">Seed of the draws.</param>
    /// <param name="label">The class a conditional VAE draws (see <see cref="ConditionClasses"/>); none for other models.</param>
    /// <returns>[count, Channels, Height, Width] floats in the model's pixel range.</returns>
    /// <exception cref="InvalidOperationException">The model is not a VAE.</exception>
    /// <exception cref="ArgumentException">A conditional VAE is given no class or one out of its range, or another model a class.</exception>
    public float[] Sample(int count, int seed = 1, int? label = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (!IsVariational) throw new InvalidOperationException($"{Name} is not a VAE: its latent space has no prior to sample from");
        RequireClass(label, "sample");
        return Decode(RunPictures.PriorDraws(count, CodeSize, seed), label is int chosen ? Enumerable.Repeat(chosen, count).ToArray() : []);
    }

    /// <summary>
    /// Writes the picture `vae latent-grid` writes: the images decoded from a regular grid over a 2-D latent
    /// space, on axes giving each one's z, as a PNG with an SVG of the same name beside it.
    /// </summary>
    /// <param name="pngPath">The PNG to write.</param>
    /// <param name="size">Images per side of the grid, 1 to 64.</param>
    /// <param name="range">The grid spans [-range, range] on both latent axes.</param>
    /// <param name="label">The class a conditional VAE decodes every point as (see <see cref="ConditionClasses"/>); none for other models.</param>
    /// <returns>The files written.</returns>
    /// <exception cref="InvalidOperationException">The latent space is not 2-D.</exception>
    /// <exception cref="ArgumentException">A conditional VAE is given no class or one out of its range, or another model a class.</exception>
    public IReadOnlyList<string> WriteLatentGrid(string pngPath, int size = RunPictures.LatentGridSize, float range = RunPictures.LatentGridRange,
        int? label = null)
    {
        if (CodeSize != 2) throw new InvalidOperationException($"the latent grid needs a 2-D latent space; {Name} has {CodeSize} dimensions");
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, 64);
        var shape = ImageShape;
        // The pictures take their cells' shape from a dataset; one without images stands for the model's input.
        var cells = new ImageDataset(Name, 0, shape.Channels, shape.Height, shape.Width, ReadOnlyMemory<byte>.Empty, null, 0);
        RequireClass(label, "decode the grid as");
        using var chart = RunPictures.LatentGrid(_run.Inference, cells, size, range, label: label);
        return chart.Write(pngPath);
    }

    /// <summary>Writes encoder.onnx and decoder.onnx (opset 17) with the model's weights, as `vae export --onnx` does.</summary>
    /// <param name="directory">The folder to write them into; made if missing.</param>
    /// <returns>The files written.</returns>
    public IReadOnlyList<string> ExportOnnx(string directory) => OnnxExport.Write(_run.Model, directory);

    /// <summary>Refuses a conditional VAE without a class (the inference refuses one out of range, or a class given to another model).</summary>
    private void RequireClass(int? label, string what)
    {
        if (label is null && ConditionClasses is int classes)
            throw new ArgumentException($"{Name} is a conditional VAE: give the class to {what} (label), from 0 to {classes - 1}");
    }

    /// <summary>Frees the model's device memory; the device stays open.</summary>
    public void Dispose() => _run.Dispose();
}
