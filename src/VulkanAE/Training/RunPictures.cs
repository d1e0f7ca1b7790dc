using VulkanAE.Data;
using VulkanAE.IO;
using VulkanAE.Models;
using VulkanAE.Plots;

namespace VulkanAE.Training;

/// <summary>The pictures of a run: what people look at rather than read.</summary>
internal static class RunPictures
{
    public const int ReconstructionCount = 12;
    public const int LatentGridSize = 15;
    public const float LatentGridRange = 3f;
    private const int SampleGridSize = 8;
    private const int Upscale = 2;

    /// <summary>Writes every picture that applies to the model into <paramref name="directory"/>.</summary>
    public static void WriteAll(string directory, AutoencoderInference inference, Autoencoder model, DeviceDataset test,
        IReadOnlyList<EpochMetrics> history, int seed)
    {
        Png.Write(Path.Combine(directory, RunDirectory.ReconstructionsFile), Reconstructions(inference, test));
        Png.Write(Path.Combine(directory, RunDirectory.LossCurveFile), LossCurve(model, history));
        if (!model.IsVariational) return;
        Png.Write(Path.Combine(directory, RunDirectory.SamplesFile), Samples(inference, model, test.Source, seed));
        if (model.CodeSize != 2) return;
        Png.Write(Path.Combine(directory, RunDirectory.LatentGridFile), LatentGrid(inference, test.Source));
        if (test.Source.Labels is not null)
            Png.Write(Path.Combine(directory, RunDirectory.LatentScatterFile), LatentScatter(inference, test));
    }

    /// <summary>The first test images above their reconstructions.</summary>
    public static RasterImage Reconstructions(AutoencoderInference inference, DeviceDataset test)
    {
        var (inputs, outputs) = inference.Reconstruct(test, ReconstructionCount);
        int count = inputs.Length / test.Features;
        return Grid([.. inputs, .. outputs], 2 * count, test.Source, columns: count);
    }

    /// <summary>Decodes z ~ N(0, I), drawn from the seed on the host: the same seed gives the same picture.</summary>
    public static RasterImage Samples(AutoencoderInference inference, Autoencoder model, ImageDataset shape, int seed)
    {
        var random = new Random(seed);
        var codes = new float[SampleGridSize * SampleGridSize * model.CodeSize];
        for (int i = 0; i < codes.Length; i++)
            codes[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        return Grid(inference.Decode(codes), SampleGridSize * SampleGridSize, shape, SampleGridSize);
    }

    /// <summary>
    /// The decoder over a regular grid of a 2-D latent space, x from -range to range left to right and
    /// y from range to -range top to bottom (so up is up), centred on (<paramref name="centerX"/>, <paramref name="centerY"/>).
    /// </summary>
    public static RasterImage LatentGrid(AutoencoderInference inference, ImageDataset shape, int size = LatentGridSize,
        float range = LatentGridRange, float centerX = 0, float centerY = 0)
    {
        var codes = new float[size * size * 2];
        for (int row = 0; row < size; row++)
            for (int column = 0; column < size; column++)
            {
                codes[(row * size + column) * 2] = centerX + Lerp(-range, range, column, size);
                codes[(row * size + column) * 2 + 1] = centerY + Lerp(range, -range, row, size);
            }
        return Grid(inference.Decode(codes), size * size, shape, size);
    }

    private static float Lerp(float from, float to, int index, int count) => count == 1 ? (from + to) / 2 : from + (to - from) * index / (count - 1);

    /// <summary>Each test image's latent position, coloured by its label.</summary>
    public static RasterImage LatentScatter(AutoencoderInference inference, DeviceDataset test)
    {
        var positions = inference.Encode(test);
        var xs = new float[test.Count];
        var ys = new float[test.Count];
        for (int i = 0; i < test.Count; i++)
        {
            xs[i] = positions[2 * i];
            ys[i] = positions[2 * i + 1];
        }
        var names = Enumerable.Range(0, test.Source.ClassCount).Select(c => c.ToString()).ToArray();
        return new ScatterPlot($"Latent means of {test.Count} test images", "z[0]", "z[1]", xs, ys, test.Source.Labels, names).Render();
    }

    public static RasterImage LossCurve(Autoencoder model, IReadOnlyList<EpochMetrics> history)
    {
        string unit = model.IsVariational ? "loss (nats per sample)" : "loss per pixel";
        var series = new List<Series>
        {
            new("train", history.Select(m => ((double)m.Epoch, m.TrainLoss)).ToArray()),
            new("test", history.Select(m => ((double)m.Epoch, m.TestLoss)).ToArray()),
        };
        return new LineChart($"{model.Spec.Name}: loss per epoch", "epoch", unit, series).Render();
    }

    private static RasterImage Grid(float[] images, int count, ImageDataset shape, int columns)
        => ImageGrid.Compose(images, count, shape.Channels, shape.Height, shape.Width, columns, Upscale);
}
