using VulkanAE.Core;
using VulkanAE.Kernels.Optim;
using VulkanAE.Tuning;

namespace VulkanAE.Training;

/// <summary>What `vae tune` found: the device, the cache file written, and each op's candidates with their times.</summary>
internal sealed record ModelTuningResult(string Device, string CacheFile, int Ops, IReadOnlyList<TunedOp> Tuned);

/// <summary>
/// `vae tune`: records a model's training step and evaluation as `vae train` would (same data,
/// batch and shapes), without running them, then times every tunable op they hold afresh and
/// stores the choices in the cache that `vae train` reads.
/// </summary>
internal static class ModelTuning
{
    /// <param name="budget">Wall time after which no further op is tuned; null: no limit.</param>
    /// <param name="warn">Told about a cache file that cannot be read or written.</param>
    public static ModelTuningResult Run(TrainingOptions options, TimeSpan? budget, Action<string> warn)
    {
        var spec = options.Spec();
        int batchSize = options.BatchSize ?? spec.Defaults.BatchSize;
        if (batchSize < 1) throw new ArgumentException($"--batch must be at least 1, got {batchSize}");
        var (train, test) = TrainingRun.LoadDatasets(options, spec);
        using var gpu = new Gpu(new GpuOptions(options.Device, options.VulkanValidation));
        using var model = spec.Build(gpu, Math.Max(batchSize, RunPictures.ReconstructionCount), options.Seed);
        using var deviceTrain = new DeviceDataset(gpu, train);
        using var deviceTest = new DeviceDataset(gpu, test);
        // A trainer records its step and evaluation when made: what they ask the kernel choices for is what to tune.
        using (new Trainer(gpu, model, deviceTrain, deviceTest, batchSize, new AdamSettings(), options.Seed)) { }
        var cache = new KernelChoiceCache(options.KernelCache ?? KernelChoiceCache.DefaultDirectory(), gpu.Info, warn);
        var ops = gpu.KernelChoices.Asked.ToArray();
        return new ModelTuningResult($"{gpu.Info.Name} ({gpu.Info.Type})", cache.FilePath, ops.Length, KernelTuner.Tune(gpu, ops, TuningSearch.LaunchShapes, budget, cache));
    }
}
