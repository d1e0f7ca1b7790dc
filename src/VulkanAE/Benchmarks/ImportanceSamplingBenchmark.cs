using VulkanAE.Core;
using VulkanAE.Data;
using VulkanAE.Evaluation;
using VulkanAE.Kernels.Reduce;
using VulkanAE.Kernels.Vae;
using VulkanAE.Models;
using VulkanAE.Training;

namespace VulkanAE.Benchmarks;

/// <summary>
/// Where `vae evaluate --iw K` spends its time: one chunk of the estimator profiled kernel by
/// kernel, then importance samples decoded per second over a few MNIST test images (seeded random
/// weights: the work does not depend on them).
/// </summary>
internal static class ImportanceSamplingBenchmark
{
    public static void Run(Gpu gpu, TextWriter output, string modelName, int samples, int images, int repeats, Roofline roofline)
    {
        var spec = ModelCatalog.Create(modelName);
        var test = Mnist.LoadFromDataDirectory(Mnist.DigitsFolder, train: false).Take(images);
        using var model = spec.Build(gpu, ImportanceWeightedLikelihood.DecodeRows, seed: 1);
        using var data = new DeviceDataset(gpu, test);
        using var estimator = new ImportanceWeightedLikelihood(gpu, model, samples, seed: 1);

        estimator.ProfileChunk(data); // warm-up: drivers such as lavapipe compile each pipeline at its first dispatch
        var chunk = estimator.ProfileChunk(data);
        output.WriteLine($"One {spec.Name} importance-sampling chunk (K = {samples}: {estimator.ImagesPerChunk} images x {estimator.SamplesPerChunk} samples "
            + $"per decode) on {gpu.Info.Name}, {chunk.Count} commands serialised: {chunk.Sum(c => c.Milliseconds):F2} ms");
        TrainingBenchmark.WriteProfile(output, chunk, roofline);

        WriteRowReductions(gpu, output, new ImportanceChunk(estimator.ImagesPerChunk, estimator.SamplesPerChunk, 0, samples, model.Features,
            model.Bottleneck!.Latent), repeats);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        estimator.Estimate(data);
        double seconds = clock.Elapsed.TotalSeconds;
        output.WriteLine($"{spec.Name} K = {samples} over {data.Count} images: {seconds:F2} s, {(double)samples * data.Count / seconds:F0} samples/s");
    }

    /// <summary>The log-weight kernel on one chunk's shape with each way of summing a row, back to back (random logits and pixels).</summary>
    private static void WriteRowReductions(Gpu gpu, TextWriter output, ImportanceChunk chunk, int repeats)
    {
        var random = new Random(1);
        using var logits = gpu.CreateTensor("logits", KernelTiming.RandomValues(random, chunk.Rows * chunk.Features));
        using var images = gpu.CreateTensor("images", KernelTiming.RandomValues(random, (long)chunk.Images * chunk.Features));
        using var epsilon = gpu.CreateTensor("epsilon", KernelTiming.RandomValues(random, chunk.Rows * chunk.Latent));
        using var z = gpu.CreateTensor("z", KernelTiming.RandomValues(random, chunk.Rows * chunk.Latent));
        using var logVariance = gpu.CreateTensor("logVariance", KernelTiming.RandomValues(random, chunk.Rows * chunk.Latent));
        using var logWeights = gpu.CreateTensor("logWeights", (long)chunk.Images * chunk.Samples);
        foreach (var reduction in Enum.GetValues<RowReduction>())
        {
            double ms = KernelTiming.MedianMilliseconds(gpu, "log weights", r => ImportanceSamplingKernels.LogWeights(r, logits, images, epsilon, z, logVariance,
                logWeights, chunk, reduction), repeats);
            output.WriteLine($"log weights of {chunk.Rows} rows x {chunk.Features} pixels, one {reduction.ToString().ToLowerInvariant()} per row: {ms:F3} ms "
                + (reduction == RowReductions.Default(gpu) ? "(this device's default)" : ""));
        }
    }
}
