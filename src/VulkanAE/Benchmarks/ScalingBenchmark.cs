using VulkanAE.Core;
using VulkanAE.Data;
using VulkanAE.Kernels.Optim;
using VulkanAE.Models;
using VulkanAE.Training;

namespace VulkanAE.Benchmarks;

/// <summary>
/// How the cost of an epoch grows with the data: face-conv-ae trains one epoch on 1x, 2x, 4x and 8x
/// a set of synthetic 64x64 RGB faces, and each size reports its seconds and its peak host and device
/// memory. Time should grow linearly; device memory should stop growing once the set streams
/// (--device-dataset-mb); host memory holds the set once (it is in memory here, as a mapped packed file would be).
/// </summary>
internal static class ScalingBenchmark
{
    public static IReadOnlyList<int> Factors { get; } = [1, 2, 4, 8];

    private const string ModelName = "face-conv-ae";

    /// <summary>Distinct faces drawn; larger sets repeat them (the cost does not depend on the pictures).</summary>
    private const int DistinctFaces = 256;

    public static void Run(Gpu gpu, TextWriter output, int baseImages, int budgetMegabytes)
    {
        if (baseImages < 1) throw new UserInputException($"--scaling-images must be at least 1, got {baseImages}");
        var spec = ModelCatalog.Create(ModelName);
        int batchSize = spec.Defaults.BatchSize;
        var faces = DrawFaces(Math.Min(DistinctFaces, baseImages), spec.InputShape.Height);
        var test = Tile(faces, batchSize, "scaling test");

        output.WriteLine($"One {ModelName} epoch (batch {batchSize}) on {gpu.Info.Name} at 1x to {Factors[^1]}x {baseImages} synthetic 64x64 RGB faces; "
            + $"the training set may take {budgetMegabytes} MiB of device memory (--device-dataset-mb) before it streams");
        Epoch(gpu, spec, Tile(faces, 2 * batchSize, "warm-up"), test, budgetMegabytes); // drivers such as lavapipe compile each pipeline at its first dispatch
        output.WriteLine($"{"data",5} {"images",8} {"set MB",8} {"on device",-22} {"s/epoch",8} {"ms/image",8} {"device MB",9} {"host MB",8}");
        foreach (int factor in Factors)
        {
            GC.Collect();
            HostMemory.ResetPeak();
            gpu.ResetPeakAllocation();
            var train = Tile(faces, factor * baseImages, $"scaling {factor}x");
            var (seconds, placement) = Epoch(gpu, spec, train, test, budgetMegabytes);
            output.WriteLine($"{factor + "x",5} {train.Count,8} {train.Pixels.Length / 1048576.0,8:F1} {placement,-22} {seconds,8:F2} "
                + $"{seconds * 1000 / train.Count,8:F3} {gpu.PeakAllocatedBytes / 1048576.0,9:F1} {HostMemory.PeakBytes() / 1048576.0,8:F1}");
        }
    }

    private static (double Seconds, string Placement) Epoch(Gpu gpu, ModelSpec spec, ImageDataset trainImages, ImageDataset testImages, int budgetMegabytes)
    {
        using var model = spec.Build(gpu, spec.StepRows(spec.Defaults.BatchSize), seed: 1);
        using var train = TrainingSetPlacement.Place(gpu, trainImages, spec.Defaults.BatchSize, budgetMegabytes, _ => { });
        using var test = new DeviceDataset(gpu, testImages);
        using var trainer = new Trainer(gpu, model, train, test, spec.Defaults.BatchSize, new AdamSettings(spec.Defaults.LearningRate), seed: 1);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        trainer.TrainEpoch(1);
        string placement = train is StreamedDataset streamed ? $"streamed, 2 x {streamed.ChunkImages}" : "resident";
        return (clock.Elapsed.TotalSeconds, placement);
    }

    private static byte[][] DrawFaces(int count, int size)
    {
        var random = new Random(1);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var chw = new byte[3 * size * size];
            ImageFolder.ToPlanar(SyntheticFaces.Draw(random, size, anomaly: null), 3, chw);
            return chw;
        }).ToArray();
    }

    /// <summary><paramref name="count"/> images cycling through <paramref name="faces"/>.</summary>
    private static ImageDataset Tile(byte[][] faces, int count, string name)
    {
        int imageBytes = faces[0].Length, size = (int)Math.Sqrt(imageBytes / 3);
        var pixels = new byte[(long)count * imageBytes];
        for (int i = 0; i < count; i++) faces[i % faces.Length].CopyTo(pixels, (long)i * imageBytes);
        return new ImageDataset(name, count, 3, size, size, pixels, labels: null, classCount: 0);
    }
}
