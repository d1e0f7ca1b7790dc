using VulkanAE.Core;
using VulkanAE.Data;
using VulkanAE.Kernels.Optim;
using VulkanAE.Models;
using VulkanAE.Training;

namespace VulkanAE.Benchmarks;

/// <summary>
/// Seconds per epoch of a model on MNIST, and where one training step spends its GPU time,
/// kernel by kernel (timestamp queries around each serialised command).
/// </summary>
internal static class TrainingBenchmark
{
    public static void Run(Gpu gpu, TextWriter output, string modelName, int epochs)
    {
        var spec = ModelCatalog.Create(modelName);
        int batchSize = spec.Defaults.BatchSize;
        var train = Mnist.LoadFromDataDirectory(Mnist.DigitsFolder, train: true);
        var test = Mnist.LoadFromDataDirectory(Mnist.DigitsFolder, train: false);
        using var model = spec.Build(gpu, batchSize, seed: 1);
        using var deviceTrain = new DeviceDataset(gpu, train);
        using var deviceTest = new DeviceDataset(gpu, test);
        using var trainer = new Trainer(gpu, model, deviceTrain, deviceTest, batchSize, new AdamSettings(spec.Defaults.LearningRate), seed: 1);

        trainer.ProfileStep(); // warm-up: drivers such as lavapipe compile each pipeline at its first dispatch
        var step = trainer.ProfileStep();
        double total = step.Sum(s => s.Milliseconds);
        output.WriteLine($"One {spec.Name} training step (batch {batchSize}) on {gpu.Info.Name}, {step.Count} commands serialised: {total:F2} ms");
        output.WriteLine($"{"kernel",-40} {"calls",5} {"ms",9} {"share",6}");
        foreach (var group in step.GroupBy(s => s.Label).OrderByDescending(g => g.Sum(s => s.Milliseconds)))
        {
            double ms = group.Sum(s => s.Milliseconds);
            output.WriteLine($"{group.Key,-40} {group.Count(),5} {ms,9:F3} {ms / total,6:P0}");
        }

        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            trainer.TrainEpoch(epoch);
            double seconds = clock.Elapsed.TotalSeconds;
            output.WriteLine($"{spec.Name} epoch {epoch}: {seconds:F2} s/epoch, {trainer.StepsPerEpoch * batchSize / seconds:F0} images/s ({trainer.StepsPerEpoch} steps of {batchSize})");
        }
    }
}
