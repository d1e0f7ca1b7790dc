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
    /// <summary>Training steps timed one at a time after the profile: enough for a median that passes over steps slowed by other processes.</summary>
    private const int StepsTimed = 15;

    public static void Run(Gpu gpu, TextWriter output, string modelName, int epochs, Roofline roofline)
    {
        var spec = ModelCatalog.Create(modelName);
        int batchSize = spec.Defaults.BatchSize;
        var train = Mnist.LoadFromDataDirectory(Mnist.DigitsFolder, train: true);
        var test = Mnist.LoadFromDataDirectory(Mnist.DigitsFolder, train: false);
        using var model = spec.Build(gpu, spec.StepRows(batchSize), seed: 1);
        using var deviceTrain = new DeviceDataset(gpu, train);
        using var deviceTest = new DeviceDataset(gpu, test);
        using var trainer = new Trainer(gpu, model, deviceTrain, deviceTest, batchSize, new AdamSettings(spec.Defaults.LearningRate), seed: 1);

        trainer.ProfileStep(); // warm-up: drivers such as lavapipe compile each pipeline at its first dispatch
        var step = trainer.ProfileStep();
        double total = step.Sum(s => s.Milliseconds);
        output.WriteLine($"One {spec.Name} training step (batch {batchSize}) on {gpu.Info.Name}, {step.Count} commands serialised: {total:F2} ms");
        output.WriteLine($"Per step: {trainer.CountStep()} (as the commands state them)");
        WriteProfile(output, step, roofline);

        var steps = trainer.TimeSteps(StepsTimed);
        output.WriteLine($"{spec.Name} step, not serialised, {StepsTimed} steps one at a time: wall-clock median {Median(steps.Select(s => s.WallMs)):F2} ms, " +
            $"process CPU time median {Median(steps.Select(s => s.CpuMs)):F2} ms, min {steps.Min(s => s.CpuMs):F2} ms");

        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            trainer.TrainEpoch(epoch);
            double seconds = clock.Elapsed.TotalSeconds;
            output.WriteLine($"{spec.Name} epoch {epoch}: {seconds:F2} s/epoch, {trainer.StepsPerEpoch * batchSize / seconds:F0} images/s ({trainer.StepsPerEpoch} steps of {batchSize})");
        }
    }

    /// <summary>
    /// The dispatches, transfers, bytes and flops of one training step of every built-in model at its
    /// default batch, from the recorded commands alone (nothing runs; blank images stand in for data).
    /// </summary>
    public static void Census(Gpu gpu, TextWriter output)
    {
        output.WriteLine($"One training step of each model, as recorded for {gpu.Info.Name} (the commands' stated work; nothing is run)");
        output.WriteLine($"{"model",-14} {"batch",5} {"dispatches",10} {"transfers",9} {"MB moved",9} {"GFLOP",8}");
        foreach (string name in ModelCatalog.Names)
        {
            var spec = ModelCatalog.Create(name);
            int batch = spec.Defaults.BatchSize;
            var (c, h, w) = (spec.InputShape.Channels, spec.InputShape.Height, spec.InputShape.Width);
            var blank = new ImageDataset($"{name} blank", batch, c, h, w, new byte[(long)batch * spec.InputFeatures], labels: null, classCount: 0);
            using var model = spec.Build(gpu, spec.StepRows(batch), seed: 1);
            using var data = new DeviceDataset(gpu, blank);
            using var trainer = new Trainer(gpu, model, data, data, batch, new AdamSettings(spec.Defaults.LearningRate), seed: 1);
            var census = trainer.CountStep();
            output.WriteLine($"{name,-14} {batch,5} {census.Dispatches,10} {census.Transfers,9} {census.Bytes / 1e6,9:F2} {census.Flops / 1e9,8:F3}");
        }
    }

    /// <summary>A profiled sequence's commands grouped by kernel and shape, the slowest first, with their rates against the roofline.</summary>
    internal static void WriteProfile(TextWriter output, IReadOnlyList<(string Label, double Milliseconds, CommandWork Work)> commands, Roofline roofline)
    {
        double total = commands.Sum(s => s.Milliseconds);
        output.WriteLine($"Rates against the roofline: FMA peak {roofline.FmaGflops:F1} GFLOP/s, copy bandwidth {roofline.CopyGBs:F1} GB/s; " +
            "'peak' is the share of the ceiling the kernel's flops per byte make it bound by");
        output.WriteLine($"{"kernel",-40} {"shape",-14} {"calls",5} {"ms",9} {"share",6} {"GFLOP/s",8} {"GB/s",7} {"bound",5} {"peak",5}");
        foreach (var group in commands.GroupBy(s => (s.Label, s.Work.Shape)).OrderByDescending(g => g.Sum(s => s.Milliseconds)))
        {
            double ms = group.Sum(s => s.Milliseconds);
            double flops = group.Sum(s => s.Work.Flops), bytes = group.Sum(s => s.Work.Bytes);
            output.WriteLine($"{group.Key.Label,-40} {group.Key.Shape,-14} {group.Count(),5} {ms,9:F3} {ms / total,6:P0} " +
                $"{Rate(flops, ms, "F2"),8} {Rate(bytes, ms, "F1"),7} {Bound(roofline, flops, bytes, ms)}");
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return (sorted[(sorted.Length - 1) / 2] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>Giga-units per second, or "-" when the commands state none.</summary>
    private static string Rate(double amount, double ms, string format) => amount > 0 ? (amount / (ms * 1e6)).ToString(format) : "-";

    /// <summary>
    /// Which ceiling the work is bound by in the roofline model (FMA when its flops per byte exceed
    /// the device's peak flops per byte of bandwidth, else memory), and the share of that ceiling reached.
    /// </summary>
    private static string Bound(Roofline roofline, double flops, double bytes, double ms)
    {
        if (flops <= 0 && bytes <= 0) return $"{"-",5} {"-",5}";
        bool compute = bytes <= 0 || flops / bytes > roofline.FmaGflops / roofline.CopyGBs;
        double share = compute ? flops / (ms * 1e6) / roofline.FmaGflops : bytes / (ms * 1e6) / roofline.CopyGBs;
        return $"{(compute ? "FMA" : "mem"),5} {share,5:P0}";
    }
}
