using VulkanAE.Core;
using VulkanAE.Data;
using VulkanAE.IO;
using VulkanAE.Kernels.Optim;
using VulkanAE.Models;

namespace VulkanAE.Training;

/// <summary>What `vae train` was asked for; null means the model's default.</summary>
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
    bool Validation = false);

/// <summary>Receives a run's progress; the CLI draws it, tests ignore it.</summary>
internal interface ITrainingObserver
{
    void Started(string description, int epochs, int stepsPerEpoch);
    void Progress(int epoch, StepProgress progress);
    void EpochFinished(EpochMetrics metrics);
}

/// <summary>
/// A whole training run: data, device, model, epochs, and the files it leaves in the output
/// directory (metrics.csv, model.safetensors, reconstructions.png), each rewritten after every
/// epoch so a stopped run keeps everything up to its last completed epoch.
/// </summary>
internal static class TrainingRun
{
    public const string MetricsFile = "metrics.csv";
    public const string WeightsFile = "model.safetensors";
    public const string ReconstructionsFile = "reconstructions.png";
    private const int ReconstructionCount = 12;

    public static IReadOnlyList<string> Datasets { get; } = [Mnist.DigitsFolder, Mnist.FashionFolder];

    public static IReadOnlyList<EpochMetrics> Execute(TrainingOptions options, ITrainingObserver observer)
    {
        var spec = ModelCatalog.Find(options.Model);
        int epochs = options.Epochs ?? spec.Defaults.Epochs;
        int batchSize = options.BatchSize ?? spec.Defaults.BatchSize;
        var adam = new AdamSettings(LearningRate: options.LearningRate ?? spec.Defaults.LearningRate);
        if (epochs < 1) throw new ArgumentException($"--epochs must be at least 1, got {epochs}");
        if (batchSize < 1) throw new ArgumentException($"--batch must be at least 1, got {batchSize}");
        if (!(adam.LearningRate > 0)) throw new ArgumentException($"--lr must be positive, got {adam.LearningRate}");
        if (options.Limit is < 1) throw new ArgumentException($"--limit must be at least 1, got {options.Limit}");

        var train = LoadDataset(options.Dataset, train: true, options.Limit);
        var test = LoadDataset(options.Dataset, train: false, options.Limit);
        Directory.CreateDirectory(options.OutputDirectory);

        using var gpu = new Gpu(new GpuOptions(options.Device, options.Validation));
        using var model = spec.Build(gpu, Math.Max(batchSize, ReconstructionCount), options.Seed);
        using var deviceTrain = new DeviceDataset(gpu, train);
        using var deviceTest = new DeviceDataset(gpu, test);
        using var trainer = new Trainer(gpu, model, deviceTrain, deviceTest, batchSize, adam, options.Seed);

        observer.Started($"{spec.Name} on {train.Name} ({train.Count} images) with {gpu.Info.Name}", epochs, trainer.StepsPerEpoch);
        var history = new List<EpochMetrics>();
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            double trainLoss = trainer.TrainEpoch(p => observer.Progress(epoch, p));
            double seconds = clock.Elapsed.TotalSeconds;
            double testLoss = trainer.Evaluate();
            var metrics = new EpochMetrics(epoch, trainLoss, testLoss, seconds, trainer.StepsPerEpoch * (double)batchSize / seconds);
            history.Add(metrics);
            SaveOutputs(options.OutputDirectory, trainer, test, history, options, epoch);
            observer.EpochFinished(metrics);
        }
        return history;
    }

    private static ImageDataset LoadDataset(string name, bool train, int? limit)
    {
        if (!Datasets.Contains(name))
            throw new ArgumentException($"unknown dataset '{name}'; available: {string.Join(", ", Datasets)}");
        var dataset = Mnist.LoadFromDataDirectory(name, train);
        return limit is int n && n < dataset.Count ? dataset.Take(n) : dataset;
    }

    private static void SaveOutputs(string directory, Trainer trainer, ImageDataset test, List<EpochMetrics> history, TrainingOptions options, int epoch)
    {
        EpochMetrics.WriteCsv(Path.Combine(directory, MetricsFile), history);

        var tensors = trainer.Model.Parameters.ToDictionary(p => p.Name, p => SafetensorsTensor.FromFloats(p.Value.ToArray(), p.Shape));
        var metadata = new Dictionary<string, string>
        {
            ["model"] = trainer.Model.Spec.Name,
            ["dataset"] = options.Dataset,
            ["epoch"] = epoch.ToString(),
            ["seed"] = options.Seed.ToString(),
        };
        Safetensors.Write(Path.Combine(directory, WeightsFile), tensors, metadata);

        var (inputs, reconstructions) = trainer.Reconstruct(ReconstructionCount);
        int count = inputs.Length / trainer.Model.Features;
        var pair = new float[inputs.Length * 2];
        inputs.CopyTo(pair, 0);
        reconstructions.CopyTo(pair, inputs.Length);
        var image = ImageGrid.Compose(pair, 2 * count, test.Channels, test.Height, test.Width, columns: count, scale: 2);
        Png.Write(Path.Combine(directory, ReconstructionsFile), image);
    }
}
