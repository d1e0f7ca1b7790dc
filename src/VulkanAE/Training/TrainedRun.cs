using VulkanAE.Core;
using VulkanAE.Data;
using VulkanAE.Models;

namespace VulkanAE.Training;

/// <summary>
/// A run directory's model, rebuilt on a device from run.yaml and model.safetensors (see
/// <see cref="RunDirectory"/>), ready for inference; on a device of its own, with the kernel choices the run recorded.
/// </summary>
internal sealed class TrainedRun : IDisposable
{
    /// <summary>Rows per inference chunk: what the pictures and `vae evaluate` process at once.</summary>
    public const int InferenceRows = 256;

    private readonly bool _ownsGpu;

    private TrainedRun(Gpu gpu, bool ownsGpu, string directory, RunDirectory.SavedModel saved, int maxRows, int? seed, Action<string>? note)
    {
        Gpu = gpu;
        _ownsGpu = ownsGpu;
        Directory = directory;
        Options = saved.Description.Options;
        Seed = seed ?? Options.Seed;
        if (ownsGpu) gpu.KernelChoices.Set(saved.Description.KernelChoices);
        Model = Options.Spec().Build(gpu, maxRows, Seed);
        try
        {
            ModelWeights.Check(saved.Weights, Model);
            ModelWeights.Upload(saved.Weights, Model);
            if (RunDirectory.WeightsDisagreement(directory, Model, resuming: false) is { } disagreement) note?.Invoke(disagreement);
            Inference = new AutoencoderInference(gpu, Model);
        }
        catch
        {
            Model.Dispose();
            throw;
        }
    }

    public Gpu Gpu { get; }
    public string Directory { get; }
    public TrainingOptions Options { get; }

    /// <summary>The seed of a VAE's sampling here: the run's unless another was asked for.</summary>
    public int Seed { get; }
    public Autoencoder Model { get; }
    public AutoencoderInference Inference { get; }

    public static TrainedRun Open(string directory, int? device, Action<string>? note = null) => Open(directory, new GpuOptions(device), note);

    /// <param name="maxRows">Rows the model processes at once (default <see cref="InferenceRows"/>).</param>
    /// <param name="note">Told which weights are used when model.safetensors and the checkpoint disagree.</param>
    /// <param name="seed">Seed of a VAE's sampling (default: the run's).</param>
    public static TrainedRun Open(string directory, GpuOptions options, Action<string>? note = null, int maxRows = InferenceRows, int? seed = null)
    {
        var saved = RunDirectory.LoadModel(directory);
        var gpu = new Gpu(options);
        try
        {
            return new TrainedRun(gpu, ownsGpu: true, directory, saved, maxRows, seed, note);
        }
        catch
        {
            gpu.Dispose();
            throw;
        }
    }

    /// <summary>The run's model on a device its caller keeps: disposing the run leaves <paramref name="gpu"/> open.</summary>
    public static TrainedRun Open(string directory, Gpu gpu)
        => new(gpu, ownsGpu: false, directory, RunDirectory.LoadModel(directory), InferenceRows, seed: null, note: null);

    /// <summary>
    /// Refuses a CutPaste classifier's run for <paramref name="command"/>, which needs images given back or a latent space:
    /// the classifier has neither, only a logit per image.
    /// </summary>
    public void RequireReconstruction(string command)
    {
        if (!Model.Spec.Reconstructs)
            throw new UserInputException($"{command}: {Directory} holds {Model.Spec.Name}, a CutPaste classifier: it gives no image back and has no latent space; "
                + $"score images with `vae anomaly --run {Directory} --data FOLDER --score logit`");
    }

    /// <summary>The training set the run learnt from (with its --limit).</summary>
    public ImageDataset LoadTrainingSet() => TrainingRun.LoadDatasets(Options, Model.Spec).Train;

    /// <summary>The test set the run was evaluated on (with its --limit).</summary>
    public ImageDataset LoadTestSet() => TrainingRun.LoadDatasets(Options, Model.Spec).Test;

    public void Dispose()
    {
        Inference.Dispose();
        Model.Dispose();
        if (_ownsGpu) Gpu.Dispose();
    }
}
