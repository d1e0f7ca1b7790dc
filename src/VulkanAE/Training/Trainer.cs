using VulkanAE.Core;
using VulkanAE.Kernels.Data;
using VulkanAE.Kernels.Noise;
using VulkanAE.Kernels.Optim;
using VulkanAE.Kernels.Training;
using VulkanAE.Models;
using VulkanAE.Tuning;

namespace VulkanAE.Training;

/// <summary>Progress inside an epoch, reported between submissions.</summary>
internal readonly record struct StepProgress(int Step, int Steps, double MeanLoss, double ImagesPerSecond);

/// <summary>Mean loss of a pass: the total and each term (reconstruction, and KL for a VAE), in the model's unit.</summary>
internal sealed record PassLoss(double Total, IReadOnlyList<double> Terms);

/// <summary>
/// Where a stopped epoch stands: steps done and the loss sums so far, enough to continue it exactly,
/// and the seconds it had trained (0 in checkpoints from before they were recorded).
/// </summary>
internal sealed record EpochPosition(int Epoch, int Step, float[] LossSums, double Seconds = 0);

/// <summary>
/// Trains an autoencoder on the GPU. A whole training step (batch gather, forward, loss,
/// backward, with --clip-grad the gradient norm, one Adam pass over the parameter arena) is
/// recorded once and replayed; the host only submits chunks of steps and reads the accumulated
/// loss sums between them to report progress. Evaluation is recorded the same way.
/// The last incomplete batch of each shuffled epoch is dropped, so every step has the same shape.
/// A streamed training set (<see cref="StreamedDataset"/>) has the step recorded once per device
/// buffer; submissions stop at its chunk boundaries, and the next chunk is uploaded while one runs.
/// A CutPaste classifier's step runs twice the batch: the images, then their pasted copies drawn on the device
/// (<see cref="CutPasteKernels"/>), against targets 0 and 1.
/// </summary>
internal sealed class Trainer : IDisposable
{
    private readonly Gpu _gpu;
    private readonly ITrainingSet _train;
    private readonly DeviceDataset _test;
    private readonly DeviceDataset? _validation;
    private readonly int _seed;
    private readonly AdamSettings _adam;
    private readonly LearningRateSchedule? _schedule;

    /// <summary>With --clip-grad: the maximum norm, and the first pass's partial sums.</summary>
    private readonly (float MaxNorm, Tensor Partials)? _clipping;

    private readonly TrainingState _state;
    private readonly Tensor _batch;
    private readonly Tensor? _noisyBatch;
    /// <summary>Rows the model runs per image (<see cref="ModelSpec.RowsPerImage"/>).</summary>
    private readonly int _rowsPerImage;
    /// <summary>A CutPaste classifier's targets for a pass of each image count: 0 for each image, then 1 for each copy.</summary>
    private readonly Dictionary<int, Tensor> _cutPasteTargets = [];
    private readonly float _noiseFactor;
    private readonly Tensor[] _trainSums;
    private readonly Tensor[] _testSums;
    /// <summary>The training step, recorded once per slot of the training set.</summary>
    private Sequence[] _trainSteps;
    private EvaluationPass _testPass;
    private EvaluationPass? _validationPass;
    private float _klWeight;

    /// <summary>The recorded evaluation of one dataset: its full batches, and the last, smaller one.</summary>
    private sealed record EvaluationPass(DeviceDataset Data, Sequence Batches, Sequence? Tail) : IDisposable
    {
        public void Dispose()
        {
            Batches.Dispose();
            Tail?.Dispose();
        }
    }

    /// <param name="noiseFactor">Above 0, a denoising autoencoder: inputs get clamp(x + factor N(0, 1), 0, 1), targets stay clean.</param>
    /// <param name="clipGradNorm">
    /// When set, the gradients are scaled before each Adam step so that their global L2 norm, over
    /// all parameters together, is at most this (torch.nn.utils.clip_grad_norm_).
    /// </param>
    /// <param name="schedule">When set, each step's learning rate comes from it, on the device; otherwise Adam's own.</param>
    /// <param name="validation">Images held out of the training set, evaluated by <see cref="EvaluateValidation"/>.</param>
    public Trainer(Gpu gpu, Autoencoder model, ITrainingSet train, DeviceDataset test, int batchSize, AdamSettings adam, int seed,
        float klWeight = 1f, float noiseFactor = 0f, float? clipGradNorm = null, LearningRateSchedule? schedule = null, DeviceDataset? validation = null)
    {
        if (noiseFactor > 0 && !model.Spec.Reconstructs)
            throw new ArgumentException($"--noise: {model.Spec.Name} is a CutPaste classifier; its made-up anomaly is the pasted patch, not noise");
        if (noiseFactor > 0 && model.Spec.Range != PixelRange.Unit)
            throw new ArgumentException($"--noise: denoising adds noise to pixels in [0, 1]; {model.Spec.Name} works in [-1, 1]");
        if (train.Count < batchSize)
            throw new ArgumentException($"--batch {batchSize} is larger than the {train.Count} training images");
        if (train.Features != model.Features || test.Features != model.Features)
            throw new ArgumentException($"model {model.Spec.Name} takes {model.Features} values per image; the dataset has {train.Features}");
        if (model.Labels is not null && new[] { train, test, validation }.Any(d => d is not null && d.Labels is null))
            throw new ArgumentException($"--condition labels: {train.Source.Name} has no labels (of at most 256 classes) to condition on");
        _gpu = gpu;
        Model = model;
        _train = train;
        _test = test;
        _validation = validation;
        _seed = seed;
        _adam = adam;
        _schedule = schedule;
        _klWeight = klWeight;
        _noiseFactor = noiseFactor;
        BatchSize = batchSize;
        StepsPerEpoch = train.Count / batchSize;
        _rowsPerImage = model.Spec.RowsPerImage;
        if (model.MaxRows < _rowsPerImage * batchSize)
            throw new ArgumentException($"model {model.Spec.Name} was built for {model.MaxRows} rows; a step of batch {batchSize} runs {_rowsPerImage * batchSize}");
        _state = new TrainingState(gpu);
        _batch = gpu.CreateTensor("batch", (long)_rowsPerImage * batchSize * model.Features);
        _noisyBatch = noiseFactor > 0 ? gpu.CreateTensor("noisy_batch", (long)batchSize * model.Features) : null;
        _trainSums = model.LossTerms.Select(t => gpu.CreateTensor("train_" + t + "_sum", 1)).ToArray();
        _testSums = model.LossTerms.Select(t => gpu.CreateTensor("test_" + t + "_sum", 1)).ToArray();
        if (clipGradNorm is float maxNorm)
            _clipping = (maxNorm, gpu.CreateTensor("gradient_norm_partials", GradientClipKernels.PartialCount(gpu, model.Arena.Length)));

        (_trainSteps, _testPass, _validationPass) = RecordSequences();
    }

    private (Sequence[] TrainSteps, EvaluationPass Test, EvaluationPass? Validation) RecordSequences()
        => (RecordTrainSteps(), RecordEvaluationPass(_test), _validation is null ? null : RecordEvaluationPass(_validation));

    private Sequence[] RecordTrainSteps()
        => Enumerable.Range(0, _train.Slots).Select(slot => Sequence.Record(_gpu, "train step", r => RecordTrainStep(r, slot))).ToArray();

    private EvaluationPass RecordEvaluationPass(DeviceDataset data)
    {
        int tail = data.Count % BatchSize;
        return new EvaluationPass(data, RecordEvaluation(data, Math.Min(BatchSize, data.Count)),
            tail > 0 && data.Count > BatchSize ? RecordEvaluation(data, tail) : null);
    }

    /// <summary>Records the step and the evaluation again, so they follow the device's kernel choices as they are now (after tuning).</summary>
    public void Rerecord()
    {
        DisposeSequences();
        (_trainSteps, _testPass, _validationPass) = RecordSequences();
    }

    public Autoencoder Model { get; }
    public int BatchSize { get; }
    public int StepsPerEpoch { get; }

    /// <summary>
    /// How often progress is reported (and a stop request honoured): steps are submitted in chunks
    /// sized to take about this long. Each report costs one host wait (~20 us on lavapipe); a live
    /// view asks for about a frame's time. Chunking does not change the numbers.
    /// </summary>
    public TimeSpan ReportInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Where the last epoch that was asked to stop stopped.</summary>
    public EpochPosition? StoppedAt { get; private set; }

    /// <summary>Optimizer steps taken so far (Adam's t), on the device; set when resuming.</summary>
    public uint OptimizerStep
    {
        get => _state.OptimizerStep;
        set => _state.OptimizerStep = value;
    }

    /// <summary>The learning rate of the last training step, as the schedule (or Adam's settings) gave it.</summary>
    public float LearningRate => _schedule is null ? _adam.LearningRate : _state.LearningRate;

    /// <summary>The factor on the learning-rate schedule (ReduceLROnPlateau's reductions), applied from the next step on.</summary>
    public float LearningRateScale
    {
        get => _state.LearningRateScale;
        set => _state.LearningRateScale = value;
    }

    /// <summary>The weight of the KL term in a VAE's loss (beta); changing it re-records the step.</summary>
    public float KlWeight
    {
        get => _klWeight;
        set
        {
            if (value == _klWeight) return;
            _klWeight = value;
            foreach (var step in _trainSteps) step.Dispose();
            _trainSteps = RecordTrainSteps();
        }
    }

    private void RecordTrainStep(SequenceRecorder r, int slot)
    {
        var input = RecordBatch(r, _train.Pixels(slot), _train.Rows, _train.Order, _train.Labels, BatchSize, NoiseStream.TrainingCorruption);
        int rows = _rowsPerImage * BatchSize;
        Model.RecordForward(r, input, rows, _state.Tensor, NoiseStream.TrainingSampling, reconstruction: false);
        Model.RecordLossAndBackward(r, input, Target(BatchSize), rows, _trainSums, _klWeight);
        _state.RecordAdvance(r, optimizerStep: true, _schedule);
        var arena = Model.Arena;
        if (_clipping is (float maxNorm, Tensor partials))
            GradientClipKernels.RecordScale(r, arena.Gradients, partials, _state.Tensor, arena.Length, maxNorm);
        arena.RecordAdamStep(r, _state.Tensor, _adam, clippedGradients: _clipping is not null, scheduledLearningRate: _schedule is not null);
    }

    private Sequence RecordEvaluation(DeviceDataset data, int rows) => Sequence.Record(_gpu, $"evaluate {rows} of {data.Source.Name}", r =>
    {
        var input = RecordBatch(r, data.Pixels, data.Order, data.Order, data.Labels, rows, NoiseStream.EvaluationCorruption);
        Model.RecordForward(r, input, _rowsPerImage * rows, _state.Tensor, NoiseStream.EvaluationSampling, reconstruction: false);
        Model.RecordLoss(r, Target(rows), _rowsPerImage * rows, _testSums);
        _state.RecordAdvance(r, optimizerStep: false);
    });

    /// <summary>
    /// Gathers the clean batch (the target) from <paramref name="pixels"/> at the batch's entries of <paramref name="rows"/>,
    /// and a conditional model's labels from <paramref name="labels"/> at its entries of <paramref name="order"/> (the images'
    /// own indices), and returns the model's input: the batch itself, or a noisy copy when denoising; for a CutPaste
    /// classifier, the batch followed by its pasted copies.
    /// </summary>
    private Tensor RecordBatch(SequenceRecorder r, Tensor pixels, Tensor rows, Tensor order, Tensor? labels, int count, NoiseStream corruption)
    {
        BatchGather.Gather(r, pixels, rows, _state.Tensor, _batch, count, Model.Features, BatchSize, Model.Spec.Range);
        if (Model.Labels is { } modelLabels) BatchGather.GatherLabels(r, labels!, order, _state.Tensor, modelLabels, count, BatchSize);
        if (!Model.Spec.Reconstructs)
        {
            var (minSide, maxSide) = PatchSides(Model.Spec.InputShape);
            CutPasteKernels.AppendCutPasted(r, _batch, _state.Tensor, count, Model.Spec.InputShape, minSide, maxSide, (uint)_seed, (uint)corruption);
        }
        if (_noisyBatch is null) return _batch;
        NoiseKernels.AddGaussianNoise(r, _batch, _noisyBatch, _state.Tensor, (long)count * Model.Features, _noiseFactor, (uint)_seed, (uint)corruption);
        return _noisyBatch;
    }

    /// <summary>
    /// CutPaste's patch sides for images of <paramref name="shape"/>: from a sixteenth to a half of the shorter side, each
    /// side drawn on its own (4 to 32 pixels at 64x64: 0.4-25% of the image, 8% on average; the paper cuts 2-15%). The
    /// prototype's quarter (4-16) seldom covered a whole mouth of the synthetic faces (10-20 pixels wide), so the classifier
    /// rarely saw one removed: on 540 faces, seeds 1-3, the missing mouth's ROC AUC went from .79-.91 to .96-.99 with a half.
    /// </summary>
    public static (int Min, int Max) PatchSides(Models.Layers.TensorShape shape)
    {
        int side = Math.Min(shape.Height, shape.Width), min = Math.Max(1, side / 16);
        return (min, Math.Max(min, side / 2));
    }

    /// <summary>What a pass of <paramref name="images"/> images is scored against: the clean batch, or a classifier's targets.</summary>
    private Tensor Target(int images)
    {
        if (Model.Spec.Reconstructs) return _batch;
        if (!_cutPasteTargets.TryGetValue(images, out var targets))
            _cutPasteTargets[images] = targets = _gpu.CreateTensor($"cutpaste_targets_{images}",
                [.. Enumerable.Repeat(0f, images), .. Enumerable.Repeat(1f, images)]);
        return targets;
    }

    /// <summary>
    /// Submits the training step <paramref name="count"/> times, waiting for each, and returns each
    /// one's wall-clock and process CPU time in ms. On a CPU driver the CPU time counts the driver's
    /// worker threads, and moves far less than the wall-clock time when other processes share the cores.
    /// The steps are real: they train the model.
    /// </summary>
    public IReadOnlyList<(double WallMs, double CpuMs)> TimeSteps(int count)
    {
        var times = new List<(double, double)>();
        for (int i = 0; i < count; i++)
        {
            var cpu = WorkClock.ProcessCpuTime();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            _trainSteps[_train.Load(0)].Submit().Wait();
            double wall = clock.Elapsed.TotalMilliseconds;
            times.Add((wall, (WorkClock.ProcessCpuTime() - cpu).TotalMilliseconds));
        }
        return times;
    }

    /// <summary>The dispatches, transfers and stated work of one training step, recorded but not run.</summary>
    public CommandCensus CountStep()
    {
        var recorder = new SequenceRecorder(_gpu);
        RecordTrainStep(recorder, slot: 0);
        return CommandCensus.Of(recorder.Commands);
    }

    /// <summary>
    /// Runs one training step recorded with timestamps around every command (serialised, so each
    /// time is that command's alone) and returns the per-command GPU times with the work each states.
    /// </summary>
    public IReadOnlyList<(string Label, double Milliseconds, CommandWork Work)> ProfileStep()
    {
        using var profiled = Sequence.Record(_gpu, "profiled train step", r => RecordTrainStep(r, slot: 0), profile: true);
        _train.Load(0);
        profiled.Submit().Wait();
        return profiled.CommandTimes().Zip(profiled.CommandWork, (time, work) => (time.Label, time.Milliseconds, work)).ToArray();
    }

    /// <summary>
    /// Epoch <paramref name="epoch"/> (from 1): one pass over the training set in an order that
    /// depends only on the seed and the epoch, so a resumed run repeats an uninterrupted one.
    /// Starts at <paramref name="resumeAt"/> when given. Returns the epoch's mean loss, or null when
    /// <paramref name="progress"/> returned false (see <see cref="StoppedAt"/>).
    /// </summary>
    public PassLoss? TrainEpoch(int epoch, Func<StepProgress, bool>? progress = null, EpochPosition? resumeAt = null)
    {
        _train.Shuffle(new Random(unchecked(_seed * 1_000_003 + epoch)));
        int done = resumeAt?.Step ?? 0;
        StartPass(_trainSums, firstBatch: done, resumeAt?.LossSums);
        var epochClock = System.Diagnostics.Stopwatch.StartNew();
        int firstStep = done, stepsPerSubmission = 1;
        PassLoss loss = new(double.NaN, []);
        while (done < StepsPerEpoch)
        {
            int slot = _train.Load(done);
            int steps = Math.Min(Math.Min(stepsPerSubmission, StepsPerEpoch - done), _train.BatchesAvailable(done));
            var chunkClock = System.Diagnostics.Stopwatch.StartNew();
            var submitted = _trainSteps[slot].Submit(steps);
            if (done + steps < StepsPerEpoch) _train.Prefetch(done + steps);
            submitted.Wait();
            stepsPerSubmission = (int)Math.Clamp(steps * ReportInterval.TotalSeconds / Math.Max(chunkClock.Elapsed.TotalSeconds, 1e-6), 1, StepsPerEpoch);
            done += steps;
            loss = ReadLoss(_trainSums, done * BatchSize);
            if (!double.IsFinite(loss.Total))
                throw new TrainingDivergedException($"epoch {epoch}: the training loss became {loss.Total} after {done} steps: the run diverged and this epoch is not saved; "
                    + "the run directory keeps its last finite checkpoint. Train again with a lower --lr, or with --clip-grad, or check the data");
            var report = new StepProgress(done, StepsPerEpoch, loss.Total, (done - firstStep) * (double)BatchSize / epochClock.Elapsed.TotalSeconds);
            if (progress?.Invoke(report) == false && done < StepsPerEpoch)
            {
                StoppedAt = new EpochPosition(epoch, done, _trainSums.Select(ReadSum).ToArray(), (resumeAt?.Seconds ?? 0) + epochClock.Elapsed.TotalSeconds);
                return null;
            }
        }
        return loss;
    }

    /// <summary>The mean loss over the whole test set, in its stored order.</summary>
    public PassLoss Evaluate() => Evaluate(_testPass);

    /// <summary>The mean loss over the validation set held out of the training set.</summary>
    public PassLoss EvaluateValidation()
        => Evaluate(_validationPass ?? throw new InvalidOperationException("this trainer was made without a validation set"));

    private PassLoss Evaluate(EvaluationPass pass)
    {
        StartPass(_testSums);
        var batches = pass.Batches.Submit(Math.Max(1, pass.Data.Count / BatchSize));
        var tail = pass.Tail?.Submit();
        batches.Wait();
        tail?.Wait();
        return ReadLoss(_testSums, pass.Data.Count);
    }

    private void StartPass(Tensor[] sums, int firstBatch = 0, float[]? startingSums = null)
    {
        _state.StartPass(firstBatch);
        for (int i = 0; i < sums.Length; i++) sums[i].Upload<float>([startingSums?[i] ?? 0f]);
    }

    private PassLoss ReadLoss(Tensor[] sums, int images)
    {
        var terms = sums.Select(sum => ReadSum(sum) / Model.LossDenominator(_rowsPerImage * images)).ToArray();
        return new PassLoss(terms.Sum(), terms);
    }

    private static float ReadSum(Tensor sum)
    {
        var value = new float[1];
        sum.Download<float>(value);
        return value[0];
    }

    private void DisposeSequences()
    {
        foreach (var step in _trainSteps) step.Dispose();
        _testPass.Dispose();
        _validationPass?.Dispose();
    }

    public void Dispose()
    {
        DisposeSequences();
        _state.Dispose();
        _batch.Dispose();
        _noisyBatch?.Dispose();
        _clipping?.Partials.Dispose();
        foreach (var targets in _cutPasteTargets.Values) targets.Dispose();
        foreach (var sum in _trainSums.Concat(_testSums)) sum.Dispose();
    }
}

/// <summary>The loss stopped being a finite number.</summary>
internal sealed class TrainingDivergedException(string message) : Exception(message);
