using VulkanAE.Core;
using VulkanAE.Data;
using VulkanAE.Models;

namespace VulkanAE.Training;

/// <summary>A run directory's model, rebuilt on a device from its checkpoint, ready for inference.</summary>
internal sealed class TrainedRun : IDisposable
{
    private readonly bool _ownsGpu;

    private TrainedRun(Gpu gpu, RunDirectory.Checkpoint checkpoint, bool ownsGpu)
    {
        Gpu = gpu;
        _ownsGpu = ownsGpu;
        Options = checkpoint.Options;
        Model = Options.Spec().Build(gpu, maxRows: 256, Options.Seed);
        RunDirectory.Restore(Model, checkpoint, optimizerState: false);
        Inference = new AutoencoderInference(gpu, Model);
    }

    public Gpu Gpu { get; }
    public TrainingOptions Options { get; }
    public Autoencoder Model { get; }
    public AutoencoderInference Inference { get; }

    public static TrainedRun Open(string directory, int? device) => Open(directory, new GpuOptions(device));

    public static TrainedRun Open(string directory, GpuOptions options)
    {
        var checkpoint = RunDirectory.Load(directory);
        var gpu = new Gpu(options);
        try
        {
            return new TrainedRun(gpu, checkpoint, ownsGpu: true);
        }
        catch
        {
            gpu.Dispose();
            throw;
        }
    }

    /// <summary>The run's model on a device its caller keeps: disposing the run leaves <paramref name="gpu"/> open.</summary>
    public static TrainedRun Open(string directory, Gpu gpu) => new(gpu, RunDirectory.Load(directory), ownsGpu: false);

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
