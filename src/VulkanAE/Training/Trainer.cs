using VulkanAE.Core;
using VulkanAE.Kernels.Data;
using VulkanAE.Kernels.Optim;
using VulkanAE.Kernels.Training;
using VulkanAE.Models;

namespace VulkanAE.Training;

/// <summary>Progress inside an epoch, reported between submissions.</summary>
internal readonly record struct StepProgress(int Step, int Steps, double MeanLoss, double ImagesPerSecond);

/// <summary>
/// Trains an autoencoder on the GPU. A whole training step (batch gather, forward, loss,
/// backward, Adam) is recorded once and replayed; the host only submits chunks of steps and reads
/// one accumulated loss between them to report progress. Evaluation is recorded the same way.
/// The last incomplete batch of each shuffled epoch is dropped, so every step has the same shape.
/// </summary>
internal sealed class Trainer : IDisposable
{
    /// <summary>How many progress reports an epoch gets; each costs one host wait (~20 us).</summary>
    private const int ReportsPerEpoch = 50;

    private readonly Gpu _gpu;
    private readonly DeviceDataset _train;
    private readonly DeviceDataset _test;
    private readonly Random _shuffle;
    private readonly TrainingState _state;
    private readonly Tensor _batch;
    private readonly Tensor _trainLossSum;
    private readonly Tensor _testLossSum;
    private readonly AdamSettings _adam;
    private readonly Sequence _trainStep;
    private readonly Sequence _testBatch;
    private readonly Sequence? _testTail;

    public Trainer(Gpu gpu, Autoencoder model, DeviceDataset train, DeviceDataset test, int batchSize, AdamSettings adam, int seed)
    {
        if (train.Count < batchSize)
            throw new ArgumentException($"--batch {batchSize} is larger than the {train.Count} training images");
        if (train.Features != model.Features || test.Features != model.Features)
            throw new ArgumentException($"model {model.Spec.Name} takes {model.Features} features per image; the dataset has {train.Features}");
        _gpu = gpu;
        Model = model;
        _train = train;
        _test = test;
        BatchSize = batchSize;
        StepsPerEpoch = train.Count / batchSize;
        _shuffle = new Random(seed);
        _state = new TrainingState(gpu);
        _batch = gpu.CreateTensor("batch", (long)batchSize * model.Features);
        _trainLossSum = gpu.CreateTensor("train_loss_sum", 1);
        _testLossSum = gpu.CreateTensor("test_loss_sum", 1);
        _gpu.Run(r => r.Fill(_state.Tensor));

        _adam = adam;
        _trainStep = Sequence.Record(gpu, "train step", RecordTrainStep);
        _testBatch = RecordEvaluation(Math.Min(batchSize, test.Count));
        int tail = test.Count % batchSize;
        _testTail = tail > 0 && test.Count > batchSize ? RecordEvaluation(tail) : null;
    }

    public Autoencoder Model { get; }
    public int BatchSize { get; }
    public int StepsPerEpoch { get; }

    /// <summary>Optimizer steps taken so far (Adam's t), read from the device.</summary>
    public uint OptimizerStep => _state.OptimizerStep;

    private void RecordTrainStep(SequenceRecorder r)
    {
        BatchGather.Gather(r, _train.Pixels, _train.Order, _state.Tensor, _batch, BatchSize, Model.Features, BatchSize);
        Model.RecordForward(r, _batch, BatchSize, reconstruction: false);
        Model.RecordLoss(r, _batch, BatchSize, _trainLossSum);
        Model.RecordBackward(r, _batch, BatchSize);
        _state.RecordAdvance(r, optimizerStep: true);
        foreach (var p in Model.Parameters)
            AdamKernels.Step(r, p.Value, p.Gradient, p.FirstMoment, p.SecondMoment, _state.Tensor, p.Count, _adam);
    }

    /// <summary>
    /// Runs one training step recorded with timestamps around every command (serialised, so each
    /// time is that command's alone) and returns the per-command GPU times.
    /// </summary>
    public IReadOnlyList<(string Label, double Milliseconds)> ProfileStep()
    {
        using var profiled = Sequence.Record(_gpu, "profiled train step", RecordTrainStep, profile: true);
        profiled.Submit().Wait();
        return profiled.CommandTimes();
    }

    private Sequence RecordEvaluation(int rows) => Sequence.Record(_gpu, $"evaluate {rows}", r =>
    {
        BatchGather.Gather(r, _test.Pixels, _test.Order, _state.Tensor, _batch, rows, Model.Features, BatchSize);
        Model.RecordForward(r, _batch, rows, reconstruction: false);
        Model.RecordLoss(r, _batch, rows, _testLossSum);
        _state.RecordAdvance(r, optimizerStep: false);
    });

    /// <summary>One shuffled pass over the training set; returns the mean loss per pixel.</summary>
    public double TrainEpoch(Action<StepProgress>? progress = null)
    {
        _train.Shuffle(_shuffle);
        _state.StartPass();
        _trainLossSum.Upload<float>([0f]);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int chunk = Math.Max(1, (StepsPerEpoch + ReportsPerEpoch - 1) / ReportsPerEpoch);
        double meanLoss = double.NaN;
        for (int done = 0; done < StepsPerEpoch;)
        {
            int steps = Math.Min(chunk, StepsPerEpoch - done);
            _trainStep.Submit(steps).Wait();
            done += steps;
            meanLoss = ReadSum(_trainLossSum) / ((double)done * BatchSize * Model.Features);
            if (!double.IsFinite(meanLoss))
                throw new TrainingDivergedException($"the training loss became {meanLoss} after {done} steps of this epoch; lower --lr or check the data");
            progress?.Invoke(new StepProgress(done, StepsPerEpoch, meanLoss, done * (double)BatchSize / clock.Elapsed.TotalSeconds));
        }
        return meanLoss;
    }

    /// <summary>The mean loss per pixel over the whole test set, in its stored order.</summary>
    public double Evaluate()
    {
        _state.StartPass();
        _testLossSum.Upload<float>([0f]);
        var batches = _testBatch.Submit(Math.Max(1, _test.Count / BatchSize));
        var tail = _testTail?.Submit();
        batches.Wait();
        tail?.Wait();
        return ReadSum(_testLossSum) / ((double)_test.Count * Model.Features);
    }

    /// <summary>The first <paramref name="count"/> test images and their reconstructions, NCHW floats in [0, 1].</summary>
    public (float[] Inputs, float[] Reconstructions) Reconstruct(int count)
    {
        count = Math.Min(count, Math.Min(_test.Count, BatchSize));
        _state.StartPass();
        using (var sequence = Sequence.Record(_gpu, "reconstruct", r =>
        {
            BatchGather.Gather(r, _test.Pixels, _test.Order, _state.Tensor, _batch, count, Model.Features, count);
            Model.RecordForward(r, _batch, count);
        }))
            sequence.Submit().Wait();
        var inputs = new float[count * Model.Features];
        var outputs = new float[count * Model.Features];
        _batch.Download<float>(inputs);
        Model.Reconstruction.Download<float>(outputs);
        return (inputs, outputs);
    }

    private static double ReadSum(Tensor sum)
    {
        var value = new float[1];
        sum.Download<float>(value);
        return value[0];
    }

    public void Dispose()
    {
        _trainStep.Dispose();
        _testBatch.Dispose();
        _testTail?.Dispose();
        _state.Dispose();
        _batch.Dispose();
        _trainLossSum.Dispose();
        _testLossSum.Dispose();
    }
}

/// <summary>The loss stopped being a finite number.</summary>
internal sealed class TrainingDivergedException(string message) : Exception(message);
