using VulkanAE.Training;

namespace VulkanAE;

/// <summary>What to train, as `vae train` takes it; null means the model's default.</summary>
/// <param name="Model">A built-in model by the name `vae train --model` takes (conv-vae, fc-vae, ...; `vae train --help` lists them).</param>
/// <param name="OutputDirectory">The run directory to write (weights, checkpoint, metrics.csv, pictures), rewritten after every epoch.</param>
public sealed record TrainingSettings(string Model, string OutputDirectory)
{
    /// <summary>mnist, fashion-mnist, or a folder of PNG/JPEG images.</summary>
    public string Dataset { get; init; } = "mnist";

    /// <summary>Epochs to train.</summary>
    public int? Epochs { get; init; }

    /// <summary>Images per step.</summary>
    public int? BatchSize { get; init; }

    /// <summary>Adam's learning rate.</summary>
    public float? LearningRate { get; init; }

    /// <summary>Fixes initialisation, shuffling and the VAE's noise: the same seed on the same device gives the same run.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Train and test on the first this many images of each split.</summary>
    public int? Limit { get; init; }

    /// <summary>Latent dimensions of a VAE, or the code size of fc-ae and linear-ae.</summary>
    public int? Latent { get; init; }

    /// <summary>The device's index in `vae devices`; null picks the first discrete GPU, else an integrated one, else any.</summary>
    public int? DeviceIndex { get; init; }

    /// <summary>Run under the Khronos validation layer.</summary>
    public bool Validation { get; init; }
}

/// <summary>One finished epoch of a training run, as a row of its metrics.csv.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="Epochs">The epochs the run trains in all.</param>
/// <param name="TrainLoss">Mean loss over the epoch's training steps: per pixel for an autoencoder, nats per sample for a VAE.</param>
/// <param name="TestLoss">Loss on the test set after the epoch, in the same unit.</param>
/// <param name="Seconds">Time the training pass took.</param>
/// <param name="ImagesPerSecond">Training images per second.</param>
public sealed record EpochReport(int Epoch, int Epochs, double TrainLoss, double TestLoss, double Seconds, double ImagesPerSecond);

/// <summary>Trains a model as `vae train` does, with a callback after every epoch.</summary>
public static class ModelTraining
{
    /// <summary>
    /// Trains on the device the settings name and writes the run directory after every epoch; load the result with
    /// <see cref="TrainedModel.Load"/>.
    /// </summary>
    /// <param name="settings">What to train and where to write it.</param>
    /// <param name="epochFinished">Called after each epoch, once its files are written.</param>
    /// <param name="cancellation">
    /// Stops the run at its next progress report (a few times a second); the checkpoint then saved lets `vae train --resume` continue it.
    /// </param>
    /// <returns>The epochs trained, first to last.</returns>
    /// <exception cref="Exception">A setting or the dataset is wrong (the message names it), or the device fails.</exception>
    public static IReadOnlyList<EpochReport> Train(TrainingSettings settings, Action<EpochReport>? epochFinished = null, CancellationToken cancellation = default)
    {
        var options = new TrainingOptions(Model: settings.Model, Dataset: settings.Dataset, Epochs: settings.Epochs, BatchSize: settings.BatchSize,
            LearningRate: settings.LearningRate, Seed: settings.Seed, OutputDirectory: settings.OutputDirectory, Device: settings.DeviceIndex,
            Limit: settings.Limit, VulkanValidation: settings.Validation, Latent: settings.Latent);
        var observer = new EpochCallback(epochFinished, cancellation);
        return TrainingRun.Execute(options, observer).Select(observer.Report).ToList();
    }

    private sealed class EpochCallback(Action<EpochReport>? epochFinished, CancellationToken cancellation) : ITrainingObserver
    {
        private int _epochs;

        public EpochReport Report(EpochMetrics m) => new(m.Epoch, _epochs, m.TrainLoss, m.TestLoss, m.Seconds, m.ImagesPerSecond);

        public void Started(string description, int firstEpoch, int epochs, int stepsPerEpoch) => _epochs = epochs;

        public bool Progress(int epoch, StepProgress progress) => !cancellation.IsCancellationRequested;

        public void EpochFinished(EpochMetrics metrics) => epochFinished?.Invoke(Report(metrics));

        public void Note(string message) { }

        public void Stopped(int epoch, int step) { }
    }
}
