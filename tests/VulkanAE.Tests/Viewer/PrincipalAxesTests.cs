using VulkanAE.Core;
using VulkanAE.Tests.Analysis;
using VulkanAE.Viewer;

namespace VulkanAE.Tests.Viewer;

/// <summary>
/// The viewer's principal axes (matmuls and shaders/viewer/principal_axes.comp) against the CPU
/// reference (covariance in double, MathNet's eigensolver), on random codes at odd sizes whose
/// covariance has known, separated top variances; and the sign rule that keeps the picture from flipping.
/// </summary>
public class PrincipalAxesTests : GpuTest
{
    /// <summary>
    /// [count, d] codes: Gaussian with standard deviations 3, 2, 1.5 then 1 along a random rotation
    /// of the axes, around a random mean.
    /// </summary>
    private static float[] Codes(Random random, int count, int dimension)
    {
        var rotation = AnalysisRandom.Orthogonal(random, dimension);
        var mean = AnalysisRandom.Gaussians(random, dimension);
        double[] spreads = [3, 2, 1.5];
        var codes = new float[count * dimension];
        for (int i = 0; i < count; i++)
        {
            var latent = Enumerable.Range(0, dimension).Select(k => AnalysisRandom.Gaussian(random) * (k < spreads.Length ? spreads[k] : 1)).ToArray();
            for (int c = 0; c < dimension; c++)
                codes[i * dimension + c] = (float)(mean[c] + Enumerable.Range(0, dimension).Sum(k => latent[k] * rotation[k * dimension + c]));
        }
        return codes;
    }

    private float[] Run(float[] codes, int count, int dimension, float[] previous)
    {
        using var axes = new PrincipalAxes(Gpu, count, dimension);
        using var codeTensor = Gpu.CreateTensor("codes", codes);
        axes.Axes.Upload<float>(previous);
        Gpu.Run(r => axes.Record(r, codeTensor));
        return axes.Axes.ToArray();
    }

    [TestCase(37, 3)]
    [TestCase(301, 20)]
    [TestCase(1001, 61)]
    [TestCase(2000, PrincipalAxes.MaxDimension)]
    public void AxesMatchTheReference(int count, int dimension)
    {
        var random = new Random(count + dimension);
        var codes = Codes(random, count, dimension);
        var none = new float[PrincipalAxes.Rows * dimension];
        var expected = PrincipalAxesReference.Of(codes, count, dimension, none);
        AssertClose(Run(codes, count, dimension, none), expected, rtol: 2e-3f, atol: 2e-4f, what: $"axes of {count} codes of {dimension}");
    }

    [Test]
    public void EachAxisKeepsThePreviousSide()
    {
        const int Count = 129, Dimension = 9;
        var codes = Codes(new Random(5), Count, Dimension);
        var first = PrincipalAxesReference.Of(codes, Count, Dimension, new float[PrincipalAxes.Rows * Dimension]);
        // The previous first axis flipped, the second as it was: the new ones follow each.
        var previous = first.Select((v, i) => i < Dimension ? -v : v).ToArray();
        var expected = PrincipalAxesReference.Of(codes, Count, Dimension, previous);
        Assert.That(expected.AsSpan(0, Dimension).ToArray(), Is.EqualTo(first.AsSpan(0, Dimension).ToArray().Select(v => -v)), "the reference follows the previous side");
        AssertClose(Run(codes, Count, Dimension, previous), expected, rtol: 2e-3f, atol: 2e-4f, what: "flipped previous axis");
    }

    [Test]
    public void TheGridPointsDecodeToTheMeanPlusTheirSpreadsAlongTheAxes()
    {
        const int Dimension = 11, Points = 13;
        var random = new Random(7);
        var axes = RandomArray(random, PrincipalAxes.Rows * Dimension);
        var points = RandomArray(random, 2 * Points, -3f, 3f);
        using var axesTensor = Gpu.CreateTensor("axes", axes);
        using var coordinates = Gpu.CreateTensor("coordinates", PrincipalAxes.Coordinates(points));
        using var codes = Gpu.CreateTensor("codes", Points * Dimension);
        Gpu.Run(r => PrincipalAxes.RecordDecoding(r, coordinates, Points, axesTensor, Dimension, codes));
        var expected = new float[Points * Dimension];
        for (int i = 0; i < Points; i++)
            for (int k = 0; k < Dimension; k++)
                expected[i * Dimension + k] = axes[2 * Dimension + k] + points[2 * i] * axes[k] + points[2 * i + 1] * axes[Dimension + k];
        AssertClose(codes.ToArray(), expected, what: "grid codes");
    }

    [Test]
    public void TheIdentityAxesLeaveA2DLatentAsItIs()
    {
        float[] points = [0.37f, -1.21f, 2.5f, 3f];
        using var axesTensor = Gpu.CreateTensor("axes", PrincipalAxes.Identity);
        using var coordinates = Gpu.CreateTensor("coordinates", PrincipalAxes.Coordinates(points));
        using var codes = Gpu.CreateTensor("codes", points.Length);
        Gpu.Run(r => PrincipalAxes.RecordDecoding(r, coordinates, 2, axesTensor, 2, codes));
        Assert.That(codes.ToArray(), Is.EqualTo(points));
    }
}
