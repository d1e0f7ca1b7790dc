using VulkanAE.IO;
using VulkanAE.Plots;

namespace VulkanAE.Training;

/// <summary>The pictures of <see cref="PcaExperiment"/>.</summary>
internal static class PcaPictures
{
    /// <summary>Test images above the linear autoencoder's reconstructions and PCA's, rows named.</summary>
    public static Chart Reconstructions(RasterImage grid, int components) =>
        ImageFigure.WithRowNames($"Test images reconstructed through {components} dimensions", grid,
            ["test image", "linear autoencoder", $"PCA, top {components}"]);

    /// <summary>The fraction of the training images' variance along each principal component, and summed over the first ones.</summary>
    public static Chart Spectrum(IReadOnlyList<double> explainedVarianceRatios, int samples)
    {
        var each = explainedVarianceRatios.Select((ratio, index) => (index + 1.0, ratio)).ToArray();
        double sum = 0;
        var cumulative = explainedVarianceRatios.Select((ratio, index) => (index + 1.0, sum += ratio)).ToArray();
        return LineChart.Create($"PCA spectrum of {samples} training images", new ChartAxis("principal component", IntegerTicks: true),
            new ChartAxis("fraction of the variance", MustShow: (0, 1)),
            [new Series("each component", each, Colour: 0), new Series("cumulative", cumulative, Colour: 1)]);
    }
}
