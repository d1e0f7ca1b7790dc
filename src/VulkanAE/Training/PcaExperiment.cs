using System.Globalization;
using System.Text;
using VulkanAE.Analysis;
using VulkanAE.IO;
using VulkanAE.Models;

namespace VulkanAE.Training;

/// <summary>What the linear-autoencoder-versus-PCA experiment measured.</summary>
internal sealed record PcaComparison(int Latent, double ExplainedVariance, double[] PrincipalAnglesDegrees,
    double AutoencoderTestMse, double PcaTestMse, string PcaSolver)
{
    public string Report() => string.Join("\n",
        $"latent size k = {Latent}",
        Invariant($"variance explained by the top {Latent} principal components: {ExplainedVariance:P2}"),
        "principal angles between the decoder's span and the top-k principal subspace (degrees): "
            + string.Join(" ", PrincipalAnglesDegrees.Select(a => Invariant($"{a:F2}"))),
        Invariant($"largest angle: {PrincipalAnglesDegrees.Max():F2} degrees"),
        Invariant($"test MSE per pixel: linear autoencoder {AutoencoderTestMse:G5}, PCA {PcaTestMse:G5}"),
        $"PCA: {PcaSolver}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// A linear autoencoder (no activations, MSE) learns the same subspace as PCA: its decoder's
/// columns should span the top-k principal components (Baldi and Hornik, 1989), though not the
/// components themselves. This measures the claim on a trained run: PCA of the same training
/// images, the principal angles between the two subspaces, and both reconstructions of the test set.
/// </summary>
internal static class PcaExperiment
{
    public const string PictureFile = "pca_comparison.png";
    public const string SpectrumFile = "pca_spectrum.png";
    public const string ReportFile = "pca_comparison.txt";
    private const int Examples = 12;

    public static PcaComparison Run(string runDirectory, int? device, Action<string>? note = null)
    {
        using var trained = TrainedRun.Open(runDirectory, device, note);
        var model = trained.Model;
        if (model.IsVariational || !model.Spec.Reconstructs || model.Decoder.Layers is not [Models.Layers.DenseLayer decoder])
            throw new ArgumentException($"{runDirectory}: the PCA comparison needs a linear autoencoder (train --model linear-ae); this run is {trained.Options.Model}");
        int k = model.CodeSize, d = model.Features;

        var train = trained.LoadTrainingSet();
        var pca = Pca.Fit(trained.Gpu, UnitFloats(train.Pixels.Span), train.Count, d, k);

        // PyTorch's layout: the decoder weight is [out = d, in = k]; its columns span the decoder's subspace.
        var weight = decoder.Parameters[0].Value.ToArray();
        var angles = PrincipalAngles.Degrees(PrincipalAngles.Transpose(weight, d, k).Select(v => (double)v).ToArray(), k, pca.Directions, k, d);

        using var test = new DeviceDataset(trained.Gpu, trained.LoadTestSet());
        var (clean, _, autoencoder) = trained.Inference.Reconstruct(test, test.Count);
        var projected = pca.ReconstructRows(trained.Gpu, clean, test.Count);
        var result = new PcaComparison(k, pca.ExplainedVarianceRatios.Sum(), angles,
            MeanSquaredError(clean, autoencoder), MeanSquaredError(clean, projected), pca.SolverSummary);

        int shown = Math.Min(Examples, test.Count);
        var rows = new List<float>();
        rows.AddRange(clean.AsSpan(0, shown * d).ToArray());
        rows.AddRange(autoencoder.AsSpan(0, shown * d).ToArray());
        rows.AddRange(projected.AsSpan(0, shown * d).ToArray());
        var shape = test.Source;
        using (var picture = PcaPictures.Reconstructions(ImageGrid.Compose(rows.ToArray(), 3 * shown, shape.Channels, shape.Height, shape.Width, shown, scale: 2), k))
            picture.Write(Path.Combine(runDirectory, PictureFile));
        using (var spectrum = PcaPictures.Spectrum(pca.ExplainedVarianceRatios, train.Count))
            spectrum.Write(Path.Combine(runDirectory, SpectrumFile));
        RunFile.WriteAllText(Path.Combine(runDirectory, ReportFile), result.Report() + "\n");
        return result;
    }

    private static float[] UnitFloats(ReadOnlySpan<byte> pixels)
    {
        var values = new float[pixels.Length];
        for (int i = 0; i < pixels.Length; i++) values[i] = pixels[i] / 255f;
        return values;
    }

    private static double MeanSquaredError(float[] a, float[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += (double)(a[i] - b[i]) * (a[i] - b[i]);
        return sum / a.Length;
    }
}
