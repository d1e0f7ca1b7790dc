using System.Text;
using VulkanAE.Data;
using VulkanAE.Kernels.Data;
using VulkanAE.IO;
using VulkanAE.Models;
using VulkanAE.Plots;

namespace VulkanAE.Training;

/// <summary>The pictures of a run, what people look at rather than read, and the pixel table beside them.</summary>
internal static class RunPictures
{
    public const int ReconstructionCount = 12;
    public const int LatentGridSize = 15;
    public const float LatentGridRange = 3f;
    private const int SampleGridSize = 8;
    public const int SamplesPerClass = 10;
    private const int Upscale = 2;

    /// <summary>Three standard deviations of the prior N(0, I): where nearly all of its mass lies on each latent axis.</summary>
    private const double PriorExtent = 3;

    /// <summary>
    /// Every picture that applies to the model, each chart as PNG and SVG, and the pixel table, by
    /// file name: the run writes them with the epoch's checkpoint as one generation.
    /// </summary>
    public static IReadOnlyList<(string File, byte[] Content)> Render(AutoencoderInference inference, DeviceDataset test, IReadOnlyList<EpochMetrics> history, int seed)
    {
        var model = inference.Model;
        var files = new List<(string File, byte[] Content)>();
        void Add(string file, Chart chart)
        {
            using (chart) files.AddRange(chart.Render(file));
        }
        if (!model.Spec.Reconstructs)
        {
            // A CutPaste classifier gives no image back: its pictures are those of `vae anomaly --score logit`.
            Add(RunDirectory.LossCurveFile, LossCurve(model, history));
            return files;
        }
        var (inputs, _, outputs) = inference.Reconstruct(test, ReconstructionCount);
        Add(RunDirectory.ReconstructionsFile, Reconstructions(model, test.Source, inputs, outputs));
        files.Add((RunDirectory.ReconstructionTableFile, Encoding.UTF8.GetBytes(PixelTable(inputs, outputs, model.Features))));
        Add(RunDirectory.LossCurveFile, LossCurve(model, history));
        if (!model.IsVariational) return files;
        // A conditional VAE decodes a code only as some class: its samples come a row per class, and
        // its latent space holds what the class leaves out (style), which the scatter below shows.
        if (model.ConditionClasses is not null)
            Add(RunDirectory.SamplesByClassFile, SamplesByClass(inference, test.Source, seed));
        else
            files.Add((RunDirectory.SamplesFile, Png.Encode(Samples(inference, test.Source, seed))));
        if (model.CodeSize != 2) return files;
        if (model.ConditionClasses is null) Add(RunDirectory.LatentGridFile, LatentGrid(inference, test.Source));
        if (test.Source.Labels is not null)
            Add(RunDirectory.LatentScatterFile, LatentScatter(inference, test));
        return files;
    }

    /// <summary>Test images (the row named input) above their reconstructions (the row named reconstruction).</summary>
    public static Chart Reconstructions(Autoencoder model, ImageDataset shape, float[] inputs, float[] outputs)
    {
        int count = inputs.Length / model.Features;
        return ImageFigure.WithRowNames($"{model.Spec.Name}: the first {count} test images and their reconstructions",
            Grid(model, [.. inputs, .. outputs], 2 * count, shape, columns: count), ["input", "reconstruction"]);
    }

    /// <summary>
    /// Original against reconstructed value of every pixel of the reconstructed test images, one row a pixel,
    /// in the model's pixel range: the table the reference write-up inspected.
    /// </summary>
    public static string PixelTable(float[] inputs, float[] outputs, int features)
    {
        var text = new StringBuilder("image,pixel,original,reconstructed\n");
        for (int i = 0; i < inputs.Length; i++)
            text.Append(System.FormattableString.Invariant($"{i / features},{i % features},{inputs[i]:G6},{outputs[i]:G6}\n"));
        return text.ToString();
    }

    /// <summary>Decodes z ~ N(0, I), drawn from the seed on the host: the same seed gives the same picture.</summary>
    public static RasterImage Samples(AutoencoderInference inference, ImageDataset shape, int seed)
    {
        var codes = PriorDraws(SampleGridSize * SampleGridSize, inference.Model.CodeSize, seed);
        return Grid(inference.Model, inference.Decode(codes), SampleGridSize * SampleGridSize, shape, SampleGridSize);
    }

    /// <summary>
    /// A conditional VAE's samples, a row per class (named at its left), <paramref name="perClass"/> draws z ~ N(0, I)
    /// from the seed, the same in every row (a column is one z): every row should show its class, and a column one
    /// style (slant, width, stroke) that z holds and the class leaves out.
    /// </summary>
    public static Chart SamplesByClass(AutoencoderInference inference, ImageDataset shape, int seed, int perClass = SamplesPerClass)
    {
        var model = inference.Model;
        int classes = model.ConditionClasses ?? throw new ArgumentException($"{model.Spec.Name} is not conditioned on labels: it has no samples by class");
        var draws = PriorDraws(perClass, model.CodeSize, seed);
        var codes = Enumerable.Repeat(draws, classes).SelectMany(row => row).ToArray();
        var images = inference.Decode(codes, Enumerable.Range(0, classes * perClass).Select(i => i / perClass).ToArray());
        return ImageFigure.WithRowNames($"{model.Spec.Name}: {perClass} draws z ~ N(0, I), one a column, decoded as each class",
            Grid(model, images, classes * perClass, shape, perClass), Enumerable.Range(0, classes).Select(c => c.ToString()).ToArray());
    }

    /// <summary>
    /// Decodes <paramref name="count"/> draws z ~ N(0, I) from the seed as class <paramref name="label"/>, in a grid
    /// <paramref name="columns"/> wide: a conditional VAE's images of one chosen class.
    /// </summary>
    public static RasterImage SamplesOfClass(AutoencoderInference inference, ImageDataset shape, int seed, int label, int count = SampleGridSize * SampleGridSize,
        int columns = SampleGridSize)
    {
        var model = inference.Model;
        var images = inference.Decode(PriorDraws(count, model.CodeSize, seed), Enumerable.Repeat(label, count).ToArray());
        return Grid(model, images, count, shape, columns);
    }

    /// <summary><paramref name="count"/> codes z ~ N(0, I) of <paramref name="width"/> dimensions, [count, width], drawn on the host from <paramref name="seed"/> (Box-Muller).</summary>
    public static float[] PriorDraws(int count, int width, int seed)
    {
        var random = new Random(seed);
        var codes = new float[count * width];
        for (int i = 0; i < codes.Length; i++)
            codes[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        return codes;
    }

    /// <summary>
    /// The decoder over a regular grid of a 2-D latent space, x from -range to range left to right and
    /// y from range to -range top to bottom (so up is up), centred on (<paramref name="centerX"/>, <paramref name="centerY"/>),
    /// on axes that give the z each image was decoded from. A conditional VAE decodes every z as class <paramref name="label"/>.
    /// </summary>
    public static Chart LatentGrid(AutoencoderInference inference, ImageDataset shape, int size = LatentGridSize,
        float range = LatentGridRange, float centerX = 0, float centerY = 0, int? label = null)
    {
        var codes = new float[size * size * 2];
        for (int row = 0; row < size; row++)
            for (int column = 0; column < size; column++)
            {
                codes[(row * size + column) * 2] = centerX + Lerp(-range, range, column, size);
                codes[(row * size + column) * 2 + 1] = centerY + Lerp(range, -range, row, size);
            }
        var labels = label is int chosen ? Enumerable.Repeat(chosen, size * size).ToArray() : [];
        var grid = Grid(inference.Model, inference.Decode(codes, labels), size * size, shape, size);
        string asClass = label is null ? "" : $" as class {label}";
        return ImageFigure.OnAxes(grid, $"{inference.Model.Spec.Name}: images decoded from a {size}x{size} grid of z{asClass}",
            new ChartAxis("z[0]"), new ChartAxis("z[1]"),
            LatentGridSpan(size, range, centerX, shape.Width * Upscale), LatentGridSpan(size, range, centerY, shape.Height * Upscale));
    }

    /// <summary>
    /// The z values at the two edges of a latent grid's picture along one axis: cell centres sit at the decoded z, one
    /// step apart, and each edge lies half a cell and a separator beyond the outer centres.
    /// </summary>
    /// <param name="cellPixels">Width (or height) of one shown image, without the separator.</param>
    public static (double Low, double High) LatentGridSpan(int size, float range, float center, int cellPixels)
    {
        double step = size > 1 ? 2.0 * range / (size - 1) : 2.0 * range;
        double beyond = (ImageGrid.SeparatorPixels + cellPixels / 2.0) / (cellPixels + ImageGrid.SeparatorPixels) * step;
        return (center - range - beyond, center + range + beyond);
    }

    private static float Lerp(float from, float to, int index, int count) => count == 1 ? (from + to) / 2 : from + (to - from) * index / (count - 1);

    /// <summary>
    /// Each test image's latent mean, coloured by its label, on axes that always span ±<see cref="PriorExtent"/>: a
    /// posterior collapsed onto the prior's centre then shows as the dot it is, not autoscaled into a fake structure.
    /// </summary>
    public static Chart LatentScatter(AutoencoderInference inference, DeviceDataset test)
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
        var prior = (-PriorExtent, PriorExtent);
        return ScatterPlot.Create($"{inference.Model.Spec.Name}: latent means of {test.Count} test images",
            new ChartAxis("z[0]", MustShow: prior), new ChartAxis("z[1]", MustShow: prior), xs, ys, test.Source.Labels, names);
    }

    /// <summary>Train, validation (with --val-split) and test loss per epoch, and the learning rate on an axis of its own.</summary>
    public static Chart LossCurve(Autoencoder model, IReadOnlyList<EpochMetrics> history)
    {
        string unit = model.IsVariational ? "loss (nats per sample)" : model.Spec.Reconstructs ? "loss per pixel" : "cross-entropy per image (normal or pasted)";
        var series = new List<Series> { new("train", history.Select(m => ((double)m.Epoch, m.TrainLoss)).ToArray(), Colour: 0) };
        if (history.Any(m => m.ValidationLoss is not null))
            series.Add(new("validation", history.Select(m => ((double)m.Epoch, m.ValidationLoss ?? double.NaN)).ToArray(), Colour: 2));
        series.Add(new("test", history.Select(m => ((double)m.Epoch, m.TestLoss)).ToArray(), Colour: 1));
        (string, IReadOnlyList<Series>)? rate = history.Any(m => m.LearningRate is not null)
            ? ("learning rate", [new("learning rate", history.Select(m => ((double)m.Epoch, m.LearningRate ?? double.NaN)).ToArray(), Colour: 3, Light: true)])
            : null;
        var chart = LineChart.Create($"{model.Spec.Name}: loss per epoch", new ChartAxis("epoch", IntegerTicks: true), new ChartAxis(unit), series, right: rate);
        if (EarlyStopping.BestEpoch(history) is int best)
        {
            var line = chart.Plot.Add.VerticalLine(best, color: ChartStyle.Colour(2));
            line.LinePattern = ScottPlot.LinePattern.Dashed;
            line.LegendText = $"best validation (epoch {best})";
        }
        return chart;
    }

    /// <summary>Images in the model's pixel range as one picture.</summary>
    private static RasterImage Grid(Autoencoder model, float[] images, int count, ImageDataset shape, int columns)
        => ImageGrid.Compose(ForDisplay(model, images), count, shape.Channels, shape.Height, shape.Width, columns, Upscale);

    /// <summary>Pixel values in [0, 1] for a picture: a tanh model's [-1, 1] is mapped there.</summary>
    public static float[] ForDisplay(Autoencoder model, float[] images)
        => model.Spec.Range == PixelRange.Symmetric ? images.Select(v => (v + 1) / 2).ToArray() : images;
}
