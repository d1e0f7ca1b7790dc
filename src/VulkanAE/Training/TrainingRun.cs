using System.Text.Json;
using VulkanAE.Core;
using VulkanAE.Data;
using VulkanAE.Kernels.Optim;
using VulkanAE.Kernels.Training;
using VulkanAE.Models;
using VulkanAE.Models.Layers;
using VulkanAE.Tuning;

namespace VulkanAE.Training;

/// <summary>
/// What `vae train` was asked for; null means the model's default. <paramref name="Dataset"/> is
/// mnist, fashion-mnist, or a folder of PNG/JPEG images (loaded at <paramref name="ImageSize"/> and
/// <paramref name="Channels"/>, by default the model's input shape, resized unless <paramref name="Resize"/> is off).
/// <paramref name="ClipGradNorm"/> null trains without gradient clipping.
/// Kernel choices: with <paramref name="TuneSeconds"/> null, the built-in defaults; otherwise those
/// cached in <paramref name="KernelCache"/> (default: <see cref="KernelChoiceCache.DefaultDirectory"/>),
/// and the missing ones are tuned for up to that many seconds before training starts.
/// <paramref name="ValidationSplit"/> holds that fraction of the training set out for validation
/// (<see cref="Data.ValidationSplit"/>); <paramref name="EarlyStopPatience"/> stops the run after that many epochs
/// without a better validation loss (<see cref="EarlyStopping"/>). <paramref name="LearningRateSchedule"/> names a
/// <see cref="LearningRateScheduleKind"/> (see <see cref="Schedule"/>). <paramref name="DeviceDatasetMegabytes"/> is the device
/// memory the training set may take before it streams (<see cref="TrainingSetPlacement"/>); it changes no number.
/// </summary>
internal sealed record TrainingOptions(
    string Model = "fc-ae",
    string Dataset = "mnist",
    int? Epochs = null,
    int? BatchSize = null,
    float? LearningRate = null,
    int Seed = 1,
    string OutputDirectory = "runs/fc-ae",
    int? Device = null,
    int? Limit = null,
    bool VulkanValidation = false,
    int? Latent = null,
    int[]? Hidden = null,
    float KlWeight = 1f,
    int KlWarmupEpochs = 0,
    float Noise = 0f,
    string? ModelDeclaration = null,
    int? ImageSize = null,
    int? Channels = null,
    bool Resize = true,
    float? ClipGradNorm = null,
    double? TuneSeconds = null,
    string? KernelCache = null,
    string? DatasetCache = null,
    double ValidationSplit = 0,
    int? EarlyStopPatience = null,
    string LearningRateSchedule = "constant",
    int WarmupEpochs = 0,
    float LearningRateDecay = 0.1f,
    int? LearningRateStepEpochs = null,
    int LearningRatePatience = 2,
    string? Condition = null,
    int? ConditionClasses = null,
    int? DeviceDatasetMegabytes = null,
    string? Align = null)
{
    /// <summary>--align's one value: image folders registered on their foreground as they load (<see cref="Data.ForegroundAlignment"/>).</summary>
    public const string ForegroundAlign = "foreground";

    /// <summary>Whether image folders are loaded registered on their foreground (--align foreground).</summary>
    public bool AlignsForeground => Align == ForegroundAlign;

    /// <summary>--condition's one value: a one-hot class label joined to the encoder's input and to z (a conditional VAE).</summary>
    public const string LabelCondition = "labels";

    /// <summary>--lr-schedule's names, in the order of <see cref="LearningRateScheduleKind"/>.</summary>
    public static IReadOnlyList<string> ScheduleNames { get; } = Enum.GetNames<LearningRateScheduleKind>().Select(n => n.ToLowerInvariant()).ToArray();

    /// <summary>
    /// The learning-rate schedule over <paramref name="epochs"/> epochs of <paramref name="stepsPerEpoch"/> steps from
    /// <paramref name="rate"/>: warm-up and cosine span whole epochs; step decays by --lr-decay every --lr-step-epochs
    /// (default: a third of the epochs, so the rate drops twice).
    /// </summary>
    public LearningRateSchedule Schedule(float rate, int epochs, int stepsPerEpoch)
    {
        int kind = ScheduleNames.ToList().IndexOf(LearningRateSchedule);
        if (kind < 0) throw new ArgumentException($"--lr-schedule must be one of {string.Join(", ", ScheduleNames)}, got '{LearningRateSchedule}'");
        if (WarmupEpochs < 0 || WarmupEpochs >= epochs)
            throw new ArgumentException($"--warmup-epochs must be from 0 to one less than the {epochs} epochs, got {WarmupEpochs}");
        if (!(LearningRateDecay > 0 && LearningRateDecay < 1)) throw new ArgumentException($"--lr-decay must be a factor between 0 and 1, got {LearningRateDecay}");
        if (LearningRateStepEpochs is < 1) throw new ArgumentException($"--lr-step-epochs must be at least 1, got {LearningRateStepEpochs}");
        int stepEpochs = LearningRateStepEpochs ?? Math.Max(1, (epochs + 2) / 3);
        uint steps = (uint)Math.Max(1, stepsPerEpoch);
        return new LearningRateSchedule((LearningRateScheduleKind)kind, rate, (uint)WarmupEpochs * steps, (uint)epochs * steps, (uint)stepEpochs * steps,
            LearningRateDecay);
    }

    /// <summary>With --lr-schedule plateau, how its reductions are decided between epochs; null otherwise.</summary>
    public PlateauReduction? Plateau => LearningRateSchedule == "plateau" ? new PlateauReduction(LearningRatePatience, LearningRateDecay) : null;

    /// <summary>
    /// The model: from its declaration (the text of a --model-file, kept so a run directory is self-contained) or the catalog,
    /// conditioned on the dataset's classes once a run with --condition labels has counted them.
    /// </summary>
    public ModelSpec Spec()
    {
        var spec = ModelDeclaration is not null
            ? ModelSpecFile.Parse(ModelDeclaration, Model)
            : ModelCatalog.Create(Model, new ModelOptions(Latent, Hidden));
        return ConditionClasses is int classes ? spec.ConditionedOn(classes) : spec;
    }

    /// <summary>These options with --condition resolved against the training set: the number of classes it conditions on.</summary>
    public TrainingOptions ConditionedOn(ImageDataset train) => Condition switch
    {
        null => this,
        LabelCondition when train.Labels is null => throw new ArgumentException($"--condition labels: {train.Name} has no labels to condition on"),
        LabelCondition => this with { ConditionClasses = train.ClassCount },
        _ => throw new ArgumentException($"--condition must be '{LabelCondition}', got '{Condition}'"),
    };

    /// <summary>The KL weight of a VAE in <paramref name="epoch"/> (from 1): ramps linearly up to beta over the warm-up epochs.</summary>
    public float KlWeightAt(int epoch) => KlWarmupEpochs <= 0 ? KlWeight : KlWeight * Math.Min(1f, (float)epoch / KlWarmupEpochs);
}

/// <summary>Receives a run's progress; the CLI draws it, tests ignore it.</summary>
internal interface ITrainingObserver
{
    void Started(string description, int firstEpoch, int epochs, int stepsPerEpoch);
    /// <summary>Returns false to stop: the run saves a checkpoint where it stands and returns.</summary>
    bool Progress(int epoch, StepProgress progress);

    void EpochFinished(EpochMetrics metrics);

    /// <summary>A line worth showing before the epochs: where the kernel choices came from, a warning about their cache.</summary>
    void Note(string message);

    /// <summary>The run stopped at the observer's request, within <paramref name="epoch"/>; its checkpoint is saved.</summary>
    void Stopped(int epoch, int step);

    /// <summary>An image folder of <paramref name="images"/> images is being decoded into the dataset cache: returns what is called as each one is done.</summary>
    Action Decoding(int images) => () => { };
}

/// <summary>An observer that also watches the run on the device itself: the live view of `vae train --view`.</summary>
internal interface ITrainingViewer
{
    /// <summary>The device options it needs (a window to present to), given the run's.</summary>
    GpuOptions DeviceOptions(GpuOptions options);

    /// <summary>Called once the run's device objects exist; what it returns is disposed before they are.</summary>
    IDisposable? Attach(LiveTraining training);
}

/// <summary>What a live view of a run draws from.</summary>
internal sealed record LiveTraining(Gpu Gpu, Autoencoder Model, Trainer Trainer, DeviceDataset Test, int Epochs, string OutputDirectory);

/// <summary>
/// A whole training run: data, device, model, epochs, and the run directory (see
/// <see cref="RunDirectory"/>), every file of which is rewritten after each epoch. A checkpoint
/// is saved before the first step, so a run can be resumed from the moment it starts. A run
/// stopped by its observer (Ctrl+C, closing the live view) saves a checkpoint where it stands; a
/// killed one keeps its last; a resumed run continues from there and gives the numbers an
/// uninterrupted run would have given.
/// </summary>
internal static class TrainingRun
{
    public static IReadOnlyList<string> Datasets { get; } = [Mnist.DigitsFolder, Mnist.FashionFolder];

    /// <param name="kernelChoices">
    /// Kernel choices to run with instead of the cache and tuning: those a run recorded, when it is
    /// run again from its run.yaml (`vae train --config`), so that it gives the same numbers.
    /// </param>
    /// <param name="overwrite">Delete what the output directory holds before the first epoch (see <see cref="CheckOutput"/>).</param>
    public static IReadOnlyList<EpochMetrics> Execute(TrainingOptions options, ITrainingObserver observer,
        IReadOnlyDictionary<string, JsonElement>? kernelChoices = null, bool overwrite = false)
        => Execute(options, observer, resumeFrom: null, kernelChoices, overwrite);

    /// <summary>Continues the run in <paramref name="directory"/> up to <paramref name="epochs"/> epochs in all (default: its own count).</summary>
    public static IReadOnlyList<EpochMetrics> Resume(string directory, int? epochs, ITrainingObserver observer)
    {
        using var runLock = Directory.Exists(directory) ? RunLock.Acquire(directory) : null;
        if (runLock is not null) RunGeneration.Recover(directory);
        var checkpoint = RunDirectory.Load(directory);
        var options = checkpoint.Options with { OutputDirectory = directory, Epochs = epochs ?? checkpoint.Options.Epochs };
        return Execute(options, observer, checkpoint, checkpoint.KernelChoices, overwrite: false);
    }

    /// <summary>
    /// Refuses <paramref name="directory"/> for a new run when it holds one (any of
    /// <see cref="RunDirectory.RunFiles"/>), unless <paramref name="overwrite"/>: then the new run
    /// deletes everything in it (<see cref="ClearOutput"/>) once it has checked all it can, so no
    /// file of the old run (a VAE's samples beside an AE's reconstructions) survives into the new
    /// one and a run that cannot start loses nothing.
    /// </summary>
    public static void CheckOutput(string directory, bool overwrite)
    {
        var present = Directory.Exists(directory) ? RunDirectory.RunFiles.Where(f => File.Exists(Path.Combine(directory, f))).ToArray() : [];
        if (present.Length > 0 && !overwrite)
            throw new UserInputException($"{directory} already holds a run ({string.Join(", ", present)}): pass --overwrite to replace it (everything in it is deleted first), "
                + $"`vae train --resume {directory}` to continue it, or another --out");
    }

    /// <summary>
    /// Deletes everything in <paramref name="directory"/> but the run lock its caller holds: what
    /// --overwrite does before the first file of the new run is written.
    /// </summary>
    public static void ClearOutput(string directory)
    {
        if (!Directory.Exists(directory)) return;
        foreach (var file in Directory.GetFiles(directory).Where(f => Path.GetFileName(f) != RunLock.LockFile)) File.Delete(file);
        foreach (var folder in Directory.GetDirectories(directory)) Directory.Delete(folder, recursive: true);
    }

    private static IReadOnlyList<EpochMetrics> Execute(TrainingOptions options, ITrainingObserver observer, RunDirectory.Checkpoint? resumeFrom,
        IReadOnlyDictionary<string, JsonElement>? kernelChoices, bool overwrite)
    {
        var spec = options.Spec();
        int epochs = options.Epochs ?? spec.Defaults.Epochs;
        int batchSize = options.BatchSize ?? spec.Defaults.BatchSize;
        var adam = new AdamSettings(LearningRate: options.LearningRate ?? spec.Defaults.LearningRate);
        if (epochs < 1) throw new ArgumentException($"--epochs must be at least 1, got {epochs}");
        if (batchSize < 1) throw new ArgumentException($"--batch must be at least 1, got {batchSize}");
        if (!(adam.LearningRate > 0)) throw new ArgumentException($"--lr must be positive, got {adam.LearningRate}");
        if (options.Limit is < 1) throw new ArgumentException($"--limit must be at least 1, got {options.Limit}");
        if (!(options.KlWeight >= 0)) throw new ArgumentException($"--beta must be non-negative, got {options.KlWeight}");
        if (!(options.Noise >= 0)) throw new ArgumentException($"--noise must be non-negative, got {options.Noise}");
        if (options.ClipGradNorm is float clip && !(clip > 0 && float.IsFinite(clip)))
            throw new ArgumentException($"--clip-grad must be a positive, finite norm, got {clip}");
        if (options.TuneSeconds is { } tuning && !(tuning >= 0)) throw new ArgumentException($"--tune-seconds must be non-negative, got {tuning}");
        if (options.EarlyStopPatience is int patience && patience < 1) throw new ArgumentException($"--early-stop must be at least 1 epoch, got {patience}");
        if (options.EarlyStopPatience is not null && options.ValidationSplit <= 0)
            throw new ArgumentException("--early-stop watches the validation loss: hold some training images out with --val-split (e.g. 0.1)");
        if (options.LearningRatePatience < 0) throw new ArgumentException($"--lr-patience must be 0 or more, got {options.LearningRatePatience}");
        int firstEpoch = (resumeFrom?.Epoch ?? 0) + 1;
        if (firstEpoch > epochs)
            throw new ArgumentException($"the run in {options.OutputDirectory} already has {firstEpoch - 1} epochs; ask for more with --epochs");

        var (train, test) = LoadDatasets(options, spec, note: observer.Note, decoding: observer.Decoding);
        options = options.ConditionedOn(train);
        spec = options.Spec();
        ImageDataset? validation = null;
        if (options.ValidationSplit != 0) (train, validation) = Data.ValidationSplit.Split(train, options.ValidationSplit, options.Seed);
        var schedule = options.Schedule(adam.LearningRate, epochs, train.Count / batchSize);
        using var runLock = resumeFrom is null ? RunLock.Acquire(CreateRunDirectory(options.OutputDirectory)) : null;
        if (runLock is not null) RunGeneration.Recover(options.OutputDirectory);

        var viewer = observer as ITrainingViewer;
        if (viewer is not null && !spec.Reconstructs)
            throw new ArgumentException($"--view shows reconstructions and codes; {spec.Name} is a CutPaste classifier with neither: train it without --view");
        var gpuOptions = new GpuOptions(options.Device, options.VulkanValidation);
        using var gpu = new Gpu(viewer?.DeviceOptions(gpuOptions) ?? gpuOptions);
        using var model = spec.Build(gpu, Math.Max(spec.StepRows(batchSize), RunPictures.ReconstructionCount), options.Seed);
        using var deviceTrain = TrainingSetPlacement.Place(gpu, train, batchSize, options.DeviceDatasetMegabytes, observer.Note);
        using var deviceTest = new DeviceDataset(gpu, test);
        using var deviceValidation = validation is null ? null : new DeviceDataset(gpu, validation);
        UseKernelChoices(gpu, options, kernelChoices, resuming: resumeFrom is not null, observer);
        using var trainer = new Trainer(gpu, model, deviceTrain, deviceTest, batchSize, adam, options.Seed, options.KlWeightAt(firstEpoch), options.Noise,
            options.ClipGradNorm, schedule, deviceValidation);
        if (kernelChoices is null && options.TuneSeconds is { } tuneSeconds)
        {
            observer.Note(ModelTuning.TuneMissing(gpu, spec, batchSize, deviceTrain, deviceTest, options.Seed, TimeSpan.FromSeconds(tuneSeconds)));
            trainer.Rerecord();
        }
        using var inference = new AutoencoderInference(gpu, model);
        using var view = viewer?.Attach(new LiveTraining(gpu, model, trainer, deviceTest, epochs, options.OutputDirectory));
        var history = new List<EpochMetrics>();
        // Cleared before the new run's first checkpoint (epoch 0) is written, never after it: a run killed in its first
        // epoch then resumes from that checkpoint.
        if (overwrite) ClearOutput(options.OutputDirectory);
        if (resumeFrom is null)
            RunDirectory.Save(options.OutputDirectory, model, options with { Epochs = epochs }, 0, trainer.OptimizerStep, gpu.KernelChoices.Chosen, history);
        else
        {
            CheckResumable(resumeFrom, trainer, model.LossTerms.Count);
            if (RunDirectory.WeightsDisagreement(options.OutputDirectory, model, resuming: true) is { } disagreement) observer.Note(disagreement);
            RunDirectory.Restore(model, resumeFrom, optimizerState: true);
            trainer.OptimizerStep = resumeFrom.OptimizerStep;
            var metricsPath = Path.Combine(options.OutputDirectory, RunDirectory.MetricsFile);
            // A run from before metrics.csv recorded the learning rate gets NaN in the column for its earlier epochs.
            history.AddRange(EpochMetrics.ReadCsv(metricsPath).Where(m => m.Epoch < firstEpoch).Select(m => m with { LearningRate = m.LearningRate ?? double.NaN }));
            if (history.Count != resumeFrom.Epoch)
                throw new UserInputException($"{metricsPath}: rows for {history.Count} epochs, but the checkpoint completed {resumeFrom.Epoch}: "
                    + "the run directory is inconsistent; train the run again");
        }

        var earlyStopping = options.EarlyStopPatience is int stopPatience ? new EarlyStopping(stopPatience) : null;
        if (earlyStopping?.ShouldStop(history) == true)
        {
            observer.Note($"the run stopped early at epoch {history.Count}: {StoppedEarly(history)}");
            return history;
        }

        string held = validation is null ? "" : $", {validation.Count} held out for validation";
        observer.Started($"{spec.Name} on {train.Name} ({train.Count} images{held}) with {gpu.Info.Name}, {gpu.PeakAllocatedBytes / 1048576.0:F0} MiB of device memory",
            firstEpoch, epochs, trainer.StepsPerEpoch);
        for (int epoch = firstEpoch; epoch <= epochs; epoch++)
        {
            trainer.KlWeight = options.KlWeightAt(epoch);
            if (options.Plateau is { } plateau) trainer.LearningRateScale = plateau.ScaleAfter(history.Select(m => m.ValidationLoss ?? m.TrainLoss));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var resumedAt = epoch == firstEpoch ? resumeFrom?.Partial : null;
            var trainLoss = trainer.TrainEpoch(epoch, p => observer.Progress(epoch, p), resumedAt);
            if (trainLoss is null)
            {
                var position = trainer.StoppedAt!;
                RunDirectory.Save(options.OutputDirectory, model, options with { Epochs = epochs }, epoch - 1, trainer.OptimizerStep, gpu.KernelChoices.Chosen, history, partial: position);
                observer.Stopped(epoch, position.Step);
                return history;
            }
            // A resumed epoch counts the time it trained before it was stopped too.
            double seconds = clock.Elapsed.TotalSeconds + (resumedAt?.Seconds ?? 0);
            var testLoss = trainer.Evaluate();
            if (!double.IsFinite(testLoss.Total))
                throw new TrainingDivergedException($"epoch {epoch}: the test loss is {testLoss.Total}: the run diverged and this epoch is not saved; "
                    + "the run directory keeps its last finite checkpoint. Train again with a lower --lr, or with --clip-grad");
            var terms = model.LossTerms.Count > 1
                ? model.LossTerms.Select((name, i) => (name, trainLoss.Terms[i], testLoss.Terms[i])).ToArray()
                : [];
            var metrics = new EpochMetrics(epoch, trainLoss.Total, testLoss.Total, seconds, trainer.StepsPerEpoch * (double)batchSize / seconds, terms)
            {
                ValidationLoss = deviceValidation is null ? null : trainer.EvaluateValidation().Total,
                LearningRate = trainer.LearningRate,
            };
            history.Add(metrics);
            RunDirectory.Save(options.OutputDirectory, model, options with { Epochs = epochs }, epoch, trainer.OptimizerStep, gpu.KernelChoices.Chosen, history,
                RunPictures.Render(inference, deviceTest, history, options.Seed));
            observer.EpochFinished(metrics);
            if (earlyStopping?.ShouldStop(history) == true)
            {
                observer.Note($"stopping early after epoch {epoch}: {StoppedEarly(history)}");
                break;
            }
        }
        return history;
    }

    /// <summary>Creates the run directory <paramref name="path"/> (and its parents) if need be; returns it.</summary>
    private static string CreateRunDirectory(string path)
    {
        try
        {
            Directory.CreateDirectory(path);
            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var file = Ancestors(Path.GetFullPath(path)).FirstOrDefault(File.Exists);
            throw new UserInputException(file is not null
                ? $"--out {path}: {file} is a file, not a folder; choose another --out"
                : $"--out {path}: cannot create the folder ({e.Message.TrimEnd('.')}); give write permission on its parent, or choose another --out", e);
        }
    }

    private static IEnumerable<string> Ancestors(string path)
    {
        for (string? p = path; !string.IsNullOrEmpty(p); p = Path.GetDirectoryName(p)) yield return p;
    }

    private static string StoppedEarly(IReadOnlyList<EpochMetrics> history)
    {
        int best = EarlyStopping.BestEpoch(history)!.Value;
        int since = history.Count - best;
        return $"the validation loss has not improved for {Plural(since, "epoch")}; the best, {history[best - 1].ValidationLoss:G6} at epoch {best}, "
            + $"is kept in {RunDirectory.BestWeightsFile}";
    }

    /// <summary>"1 epoch", "3 epochs".</summary>
    public static string Plural(int count, string noun) => $"{count} {noun}{(count == 1 ? "" : "s")}";

    /// <summary>
    /// What a checkpoint's metadata can only be checked against once the run's data and model
    /// exist: a stopped epoch stands within the epoch and has a sum per loss term, and Adam's step
    /// counts exactly the steps taken.
    /// </summary>
    private static void CheckResumable(RunDirectory.Checkpoint checkpoint, Trainer trainer, int lossTerms)
    {
        string source = checkpoint.Content.Source;
        if (checkpoint.Partial is { } partial && (partial.Step >= trainer.StepsPerEpoch || partial.LossSums.Length != lossTerms))
            throw new UserInputException($"{source}: metadata '{CheckpointMetadata.PartialEpochKey}' stands at step {partial.Step} with {partial.LossSums.Length} loss sums; "
                + $"an epoch of this run has {trainer.StepsPerEpoch} steps and {lossTerms} loss terms: the checkpoint is damaged; train the run again");
        long steps = (long)checkpoint.Epoch * trainer.StepsPerEpoch + (checkpoint.Partial?.Step ?? 0);
        if (checkpoint.OptimizerStep != steps)
            throw new UserInputException($"{source}: metadata '{CheckpointMetadata.OptimizerStepKey}' is {checkpoint.OptimizerStep}, but {checkpoint.Epoch} epochs of "
                + $"{trainer.StepsPerEpoch} steps{(checkpoint.Partial is null ? "" : $" and {checkpoint.Partial.Step} more")} make {steps}: the checkpoint is damaged; train the run again");
    }

    /// <summary>
    /// A resumed run, or one run again from its run.yaml, repeats the kernel choices it recorded (the
    /// cache may have changed since); a new one reads the cache when it tunes, else keeps the built-in defaults.
    /// </summary>
    private static void UseKernelChoices(Gpu gpu, TrainingOptions options, IReadOnlyDictionary<string, JsonElement>? recorded, bool resuming,
        ITrainingObserver observer)
    {
        if (recorded is not null)
        {
            gpu.KernelChoices.Set(recorded);
            observer.Note($"kernel choices: the {recorded.Count} the run recorded{(resuming ? "" : " in its run.yaml")}");
        }
        else if (options.TuneSeconds is not null)
            gpu.KernelChoices.Cache = new KernelChoiceCache(options.KernelCache ?? KernelChoiceCache.DefaultDirectory(), gpu.Info,
                warning => observer.Note("warning: " + warning));
        else
            observer.Note("kernel choices: the built-in defaults");
    }

    /// <summary>
    /// The training and test sets the options name, checked against the model's input shape. An image
    /// folder comes from the dataset cache (<see cref="DatasetCache"/>), which tells <paramref name="note"/> when it decodes,
    /// and <paramref name="decoding"/> of each image decoded.
    /// </summary>
    /// <param name="convertChannels">
    /// False: image files of other channels are refused, as those of another size are without
    /// <see cref="TrainingOptions.Resize"/> (commands feeding a trained model new data).
    /// </param>
    public static (ImageDataset Train, ImageDataset Test) LoadDatasets(TrainingOptions options, ModelSpec spec, bool convertChannels = true,
        Action<string>? note = null, Func<int, Action>? decoding = null)
    {
        var (train, test) = LoadSplits(options, spec.InputShape, convertChannels, note ?? (_ => { }), decoding);
        var shape = new TensorShape(train.Channels, train.Height, train.Width);
        if (shape.Size != spec.InputShape.Size)
            throw new ArgumentException($"model {spec.Name} takes {spec.InputShape} images; {train.Name} has {shape}");
        if (test.Count == 0)
            throw new DatasetException($"{options.Dataset}: no test images; the folder needs at least two images");
        return options.Limit is int n ? (train.Take(n), test.Take(n)) : (train, test);
    }

    private static (ImageDataset Train, ImageDataset Test) LoadSplits(TrainingOptions options, TensorShape input, bool convertChannels, Action<string> note,
        Func<int, Action>? decoding)
    {
        if (Datasets.Contains(options.Dataset))
        {
            if (options.Align is not null)
                throw new ArgumentException($"--align {options.Align} registers images of a folder; {options.Dataset} is centred already: drop --align");
            return (Mnist.LoadFromDataDirectory(options.Dataset, train: true), Mnist.LoadFromDataDirectory(options.Dataset, train: false));
        }
        if (!Directory.Exists(options.Dataset))
            throw new ArgumentException($"unknown dataset '{options.Dataset}': use {string.Join(", ", Datasets)}, or a folder of PNG/JPEG images");
        int size = options.ImageSize ?? input.Height;
        int channels = options.Channels ?? input.Channels;
        if (channels is not (1 or 3)) throw new ArgumentException($"--channels must be 1 or 3, got {channels}");
        if (size < 1) throw new ArgumentException($"--image-size must be positive, got {size}");
        var cache = new DatasetCache(options.DatasetCache ?? DatasetCache.DefaultDirectory(), note, decoding);
        var folder = cache.Load(options.Dataset, new ImageFolderOptions(size, channels, options.Resize, ConvertChannels: convertChannels,
            AlignForeground: options.AlignsForeground));
        return (folder.Train, folder.Test);
    }
}
