using System.Globalization;
using System.Text;
using MathNet.Numerics.LinearAlgebra;
using VulkanAE.Analysis;
using VulkanAE.Data;
using VulkanAE.IO;
using VulkanAE.Models;
using VulkanAE.Plots;

namespace VulkanAE.Training;

/// <summary>
/// Compared models on a common footing, whatever their losses (an autoencoder's BCE per pixel, a VAE's
/// nats per sample): every model's test-set reconstruction error measured alike, draws of the prior
/// N(0, I) through every decoder (a VAE's decoder was trained for them, an autoencoder's was not), and
/// every model's latent layout side by side.
/// </summary>
internal static class ComparisonPictures
{
    public const string ReconstructionTableFile = "comparison_reconstruction.csv";
    public const string SamplesFile = "comparison_samples.png";
    public const string LatentsFile = "comparison_latents.png";
    private const int SamplesPerModel = 10;
    private const int Upscale = 2;

    /// <summary>PyTorch's BCELoss clamps each log at -100, so a confident wrong pixel costs 100, not infinity.</summary>
    private const double LogFloor = -100;

    public static void WriteAll(string directory, IReadOnlyList<ComparedRun> runs, int seed)
    {
        var table = new StringBuilder("configuration,code,test_bce_per_pixel,test_mse_per_pixel\n");
        var samples = new List<float>();
        var sampleNames = new List<string>();
        var latentCharts = new List<Chart>();
        ImageDataset? shape = null;
        foreach (var run in runs)
        {
            using var trained = TrainedRun.Open(run.Options.OutputDirectory, run.Options.Device);
            var testSet = trained.LoadTestSet();
            shape = testSet;
            using var test = new DeviceDataset(trained.Gpu, testSet);
            var model = trained.Model;
            // A VAE is compared through its posterior means: the reconstruction it makes without sampling noise.
            var positions = trained.Inference.Encode(test);
            var (bce, mse) = ReconstructionError(testSet.Pixels.Span, RunPictures.ForDisplay(model, trained.Inference.Decode(positions)));
            string code = model.IsVariational ? "posterior mean" : "code";
            table.Append(string.Create(CultureInfo.InvariantCulture, $"{run.Label},{code},{bce:G9},{mse:G9}\n"));
            samples.AddRange(RunPictures.ForDisplay(model, trained.Inference.Decode(RunPictures.PriorDraws(SamplesPerModel, model.CodeSize, seed))));
            sampleNames.Add(run.Label);
            latentCharts.Add(LatentLayout(run.Label, model, testSet, positions));
        }
        RunFile.WriteAllText(Path.Combine(directory, ReconstructionTableFile), table.ToString());
        if (shape is null) return;
        var grid = ImageGrid.Compose(samples.ToArray(), SamplesPerModel * runs.Count, shape.Channels, shape.Height, shape.Width, SamplesPerModel, Upscale);
        using (var chart = ImageFigure.WithRowNames("Each decoder given the same kind of input: draws of N(0, I)", grid, sampleNames))
            chart.Write(Path.Combine(directory, SamplesFile));
        using var row = new ChartRow(latentCharts);
        row.Write(Path.Combine(directory, LatentsFile));
    }

    /// <summary>
    /// Mean binary cross-entropy and mean squared error per pixel of <paramref name="reconstructions"/> (in [0, 1])
    /// against the 8-bit <paramref name="pixels"/> they reconstruct, summed in double.
    /// </summary>
    public static (double Bce, double Mse) ReconstructionError(ReadOnlySpan<byte> pixels, ReadOnlySpan<float> reconstructions)
    {
        if (pixels.Length != reconstructions.Length)
            throw new ArgumentException($"{pixels.Length} pixels but {reconstructions.Length} reconstructed values");
        double bce = 0, squares = 0;
        for (int i = 0; i < pixels.Length; i++)
        {
            double target = pixels[i] / 255.0, output = reconstructions[i];
            bce -= target * Math.Max(Math.Log(output), LogFloor) + (1 - target) * Math.Max(Math.Log(1 - output), LogFloor);
            squares += (output - target) * (output - target);
        }
        return (bce / pixels.Length, squares / pixels.Length);
    }

    /// <summary>
    /// The test set's latent positions, coloured by label: the code itself when it has two dimensions, else its
    /// projection on its two principal axes (said in the title). A VAE's axes always span its prior's ±3.
    /// </summary>
    private static Chart LatentLayout(string label, Autoencoder model, ImageDataset test, float[] positions)
    {
        int width = model.CodeSize;
        var (xs, ys, axes) = width == 2
            ? (Enumerable.Range(0, test.Count).Select(i => positions[2 * i]).ToArray(), Enumerable.Range(0, test.Count).Select(i => positions[2 * i + 1]).ToArray(), "z[0], z[1]")
            : PrincipalPlane(positions, width);
        bool coloured = test.Labels is not null && test.ClassCount <= Palette.Tab10.Count;
        var labels = coloured ? test.Labels! : new int[test.Count];
        string[] names = coloured ? Enumerable.Range(0, test.ClassCount).Select(c => c.ToString()).ToArray() : ["test image"];
        (double, double)? prior = model.IsVariational ? (-3, 3) : null;
        string what = model.IsVariational ? "latent means" : "codes";
        return ScatterPlot.Create($"{label}: {what} ({axes})", new ChartAxis(width == 2 ? "z[0]" : "principal axis 1", MustShow: prior),
            new ChartAxis(width == 2 ? "z[1]" : "principal axis 2", MustShow: prior), xs, ys, labels, names, width: 700, height: 600);
    }

    /// <summary>Points [count, width] projected on the two principal axes of their covariance.</summary>
    private static (float[] Xs, float[] Ys, string Axes) PrincipalPlane(float[] points, int width)
    {
        int count = points.Length / width;
        var data = Matrix<double>.Build.Dense(count, width, (i, j) => points[i * width + j]);
        var mean = data.ColumnSums() / count;
        var centred = data - Matrix<double>.Build.DenseOfRowVectors(Enumerable.Repeat(mean, count));
        var (_, axes) = LargestEigenpairs.Of(centred.TransposeThisAndMultiply(centred), 2);
        var projected = centred * axes.Transpose();
        return (projected.Column(0).Select(v => (float)v).ToArray(), projected.Column(1).Select(v => (float)v).ToArray(),
            $"projected from {width}-D on its two principal axes");
    }
}
