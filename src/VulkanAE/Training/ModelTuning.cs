using VulkanAE.Core;
using VulkanAE.Kernels.Optim;
using VulkanAE.Models;
using VulkanAE.Tuning;

namespace VulkanAE.Training;

/// <summary>What `vae tune` found: the device, the cache file written, each op's candidates and decision, and the training step's check.</summary>
internal sealed record ModelTuningResult(string Device, string CacheFile, int Ops, TuningOutcome Outcome);

/// <summary>
/// Tuning a model's kernels where they run: the ops its training step and evaluation ask for, and
/// the whole training step to check the tuned set against the defaults. The step is timed on a
/// scratch copy of the model (same spec, batch and data), so timing steps never trains the
/// model of a run.
/// </summary>
internal static class ModelTuning
{
    /// <summary>Training steps per sample of the step's time: their median.</summary>
    private const int StepsPerSample = 3;

    /// <summary>
    /// `vae tune`: records a model's training step and evaluation as `vae train` would (same data,
    /// batch and shapes), then times every tunable op they hold afresh and stores the outcome in
    /// the cache that `vae train` reads.
    /// </summary>
    /// <param name="budget">Wall time after which no further op is tuned; null: no limit.</param>
    /// <param name="warn">Told about a cache file that cannot be read or written.</param>
    public static ModelTuningResult Run(TrainingOptions options, TimeSpan? budget, Action<string> warn)
    {
        var spec = options.Spec();
        int batchSize = options.BatchSize ?? spec.Defaults.BatchSize;
        if (batchSize < 1) throw new ArgumentException($"--batch must be at least 1, got {batchSize}");
        var (train, test) = TrainingRun.LoadDatasets(options, spec);
        using var gpu = new Gpu(new GpuOptions(options.Device, options.VulkanValidation));
        using var deviceTrain = new DeviceDataset(gpu, train);
        using var deviceTest = new DeviceDataset(gpu, test);
        // A trainer records its step and evaluation when made: what they ask the kernel choices for is what to tune.
        using var scratch = new ScratchStep(gpu, spec, batchSize, deviceTrain, deviceTest, options.Seed);
        scratch.Record();
        var cache = new KernelChoiceCache(options.KernelCache ?? KernelChoiceCache.DefaultDirectory(), gpu.Info, warn);
        var ops = gpu.KernelChoices.Asked.ToArray();
        var outcome = KernelTuner.Tune(gpu, ops, TuningSearch.LaunchShapes, budget, cache, scratch.Sample);
        return new ModelTuningResult($"{gpu.Info.Name} ({gpu.Info.Type})", cache.FilePath, ops.Length, outcome);
    }

    /// <summary>
    /// `vae train` on first use: tunes the ops without a choice (<see cref="KernelTuner.TuneMissing"/>),
    /// checking them in a scratch copy of the run's training step; one line says what happened.
    /// </summary>
    public static string TuneMissing(Gpu gpu, ModelSpec spec, int batchSize, ITrainingSet train, DeviceDataset test, int seed, TimeSpan budget)
    {
        if (!gpu.KernelChoices.Missing.Any()) return KernelTuner.TuneMissing(gpu, budget, step: null);
        using var scratch = new ScratchStep(gpu, spec, batchSize, train, test, seed);
        return KernelTuner.TuneMissing(gpu, budget, scratch.Sample);
    }

    /// <summary>A scratch model and its trainer, whose training step is timed with given kernel choices.</summary>
    private sealed class ScratchStep(Gpu gpu, ModelSpec spec, int batchSize, ITrainingSet train, DeviceDataset test, int seed) : IDisposable
    {
        private readonly Autoencoder _model = spec.Build(gpu, Math.Max(spec.StepRows(batchSize), RunPictures.ReconstructionCount), seed);
        private Trainer? _trainer;

        /// <summary>The trainer, made (and so its step recorded, asking for its kernel choices) on first use.</summary>
        private Trainer Trainer => _trainer ??= new Trainer(gpu, _model, train, test, batchSize, new AdamSettings(spec.Defaults.LearningRate), seed);

        /// <summary>Records the step and the evaluation now: what they ask for becomes the device's <see cref="KernelChoices.Asked"/>.</summary>
        public void Record() => _ = Trainer;

        /// <summary>
        /// The median time of <see cref="StepsPerSample"/> unserialised steps with <paramref name="choices"/>
        /// in force: process CPU time on a CPU driver, wall-clock time on a GPU (see <see cref="WorkClock"/>).
        /// </summary>
        public double Sample(IReadOnlyList<KeyValuePair<string, System.Text.Json.JsonElement>> choices)
        {
            gpu.KernelChoices.Set(choices);
            Trainer.Rerecord();
            bool cpu = WorkClock.CountsCpuTime(gpu.Info);
            return ChoiceRule.Median(Trainer.TimeSteps(StepsPerSample).Select(t => cpu ? t.CpuMs : t.WallMs));
        }

        public void Dispose()
        {
            _trainer?.Dispose();
            _model.Dispose();
        }
    }
}
