using VulkanAE.Analysis;
using VulkanAE.Core;

namespace VulkanAE.Tests.Analysis;

/// <summary>
/// The GPU PCA (fp32 products over the data, double on the host) against <see cref="ReferencePca"/>
/// (double throughout) and against the covariance planted in the data. Tolerances are fp32's: the
/// products sum up to <see cref="CenteredRowBlocks.DefaultRowsPerBlock"/> rows in float, so a scatter
/// element may be off by about sqrt(rows) · 2^-24 of |x_i| |x_j| summed; 1e-5 of the total variance
/// bounds what that does to a variance here, where a double PCA would agree to 1e-12.
/// </summary>
[TestFixture]
public class PcaTests : GpuTest
{
    private const double Fp32Relative = 1e-5;

    /// <summary>
    /// Samples mean + sum_i sqrt(variance_i) z_i direction_i + noise, z and noise standard normal
    /// (noise scaled by <paramref name="noise"/>), the directions the first rows of a random
    /// orthogonal matrix: a planted rank-k covariance plus noise² I.
    /// </summary>
    internal static (float[] Data, double[] Directions, double[] Mean) Synthetic(int seed, int rows, int columns, double[] variances, double noise)
    {
        var random = new Random(seed);
        var directions = AnalysisRandom.Orthogonal(random, columns)[..(variances.Length * columns)];
        var mean = AnalysisRandom.Gaussians(random, columns).Select(m => 3 * m).ToArray();
        var data = new float[rows * columns];
        for (int r = 0; r < rows; r++)
        {
            var sample = mean.Select(m => m + noise * AnalysisRandom.Gaussian(random)).ToArray();
            for (int i = 0; i < variances.Length; i++)
            {
                double z = Math.Sqrt(variances[i]) * AnalysisRandom.Gaussian(random);
                for (int c = 0; c < columns; c++)
                {
                    sample[c] += z * directions[i * columns + c];
                }
            }

            for (int c = 0; c < columns; c++)
            {
                data[r * columns + c] = (float)sample[c];
            }
        }

        return (data, directions, mean);
    }

    internal static PcaSolver Solver(bool iterative) => iterative ? PcaSolver.SubspaceIteration : PcaSolver.Covariance;

    [Test]
    public void PlantedCovariance_RecoversDirectionsVariancesAndRatios()
    {
        const int rows = 20000, columns = 30;
        double[] variances = [16, 9, 4, 1];
        const double noise = 0.05;
        var (data, directions, mean) = Synthetic(1, rows, columns, variances, noise);

        var pca = Pca.Fit(Gpu, data, rows, columns, components: 4);

        double total = variances.Sum() + columns * noise * noise;
        for (int i = 0; i < 4; i++)
        {
            double alignment = Math.Abs(AnalysisRandom.Dot(pca.Directions, i, directions, i, columns));
            Assert.That(alignment, Is.GreaterThan(0.999), $"|cos| between direction {i} and the planted one (sign is free)");
            // Sample variance of n Gaussians: relative standard deviation sqrt(2 / n) = 1%.
            Assert.That(pca.Variances[i], Is.EqualTo(variances[i]).Within(4).Percent, $"variance {i}");
            Assert.That(pca.ExplainedVarianceRatios[i], Is.EqualTo(variances[i] / total).Within(4).Percent, $"ratio {i}");
        }

        Assert.That(pca.TotalVariance, Is.EqualTo(total).Within(3).Percent);
        Assert.That(pca.Mean, Is.EqualTo(mean).Within(0.1));
    }

    [TestCase(false, 20000, 30, 4, 4096)]
    [TestCase(false, 1001, 37, 9, 97)] // 11 blocks, the last partial; sizes off every tile
    [TestCase(true, 1500, 211, 6, 500)]
    [TestCase(true, 999, 45, 1, 4096)]
    public void AgreesWithTheDoublePrecisionReference(bool iterative, int rows, int columns, int components, int rowsPerBlock)
    {
        var variances = Enumerable.Range(0, 12).Select(i => 10.0 * Math.Pow(0.7, i)).ToArray();
        var (data, _, _) = Synthetic(rows, rows, columns, variances, 0.1);
        var reference = new ReferencePca(data, rows, columns);

        var pca = Pca.Fit(Gpu, data, rows, columns, components, Solver(iterative), rowsPerBlock: rowsPerBlock);

        Assert.That(pca.SolverSummary, Does.Not.Contain("did not reach"));
        Assert.That(pca.Mean, Is.EqualTo(reference.Mean).Within(1e-12));
        Assert.That(pca.TotalVariance, Is.EqualTo(reference.TotalVariance).Within(1e-12).Percent);
        double scale = reference.TotalVariance;
        for (int i = 0; i < components; i++)
        {
            TestContext.Out.WriteLine($"variance {i}: {pca.Variances[i]:R} vs {reference.Variances[i]:R}, rel to total {(pca.Variances[i] - reference.Variances[i]) / scale:E2}");
            Assert.That(pca.Variances[i], Is.EqualTo(reference.Variances[i]).Within(Fp32Relative * scale), $"variance {i}");
        }

        var angles = PrincipalAngles.Degrees(pca.Directions, components, reference.TopDirections(components), components, columns);
        TestContext.Out.WriteLine($"largest angle to the reference subspace: {angles.Max():E2} degrees");
        Assert.That(angles, Is.All.LessThan(1e-2), "degrees between the fitted and the reference subspace");
        for (int i = 0; i < components; i++)
        {
            double alignment = Math.Abs(AnalysisRandom.Dot(pca.Directions, i, reference.TopDirections(components), i, columns));
            Assert.That(alignment, Is.EqualTo(1).Within(1e-6), $"|cos| of direction {i} with the reference one");
            Assert.That(AnalysisRandom.Dot(pca.Directions, i, pca.Directions, i, columns), Is.EqualTo(1).Within(1e-12), $"direction {i} has unit length");
        }

        Assert.That(pca.Variances, Is.Ordered.Descending);
    }

    [TestCase(1, 5, 4096)]
    [TestCase(300, 37, 4096)]
    [TestCase(1001, 9, 97)]
    public void Scatter_MatchesTheDoublePrecisionOne(int rows, int columns, int rowsPerBlock)
    {
        var random = new Random(rows);
        var data = AnalysisRandom.Gaussians(random, rows * columns).Select(v => (float)(v + 10)).ToArray();
        var reference = new ReferencePca(data, rows, columns);

        var mean = CenteredRowBlocks.ColumnMeans(data, rows, columns);
        using var centred = CenteredRowBlocks.Upload(Gpu, data, rows, columns, mean, rowsPerBlock);
        var scatter = Scatter.Compute(Gpu, centred);

        Assert.That(centred.Blocks, Has.Count.EqualTo((rows + rowsPerBlock - 1) / rowsPerBlock));
        Assert.That(centred.TotalSquaredDeviation, Is.EqualTo(reference.Scatter.Trace()).Within(1e-9 * rows));
        for (int i = 0; i < columns; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                // Cauchy-Schwarz bounds |S[i, j]| by sqrt(S[i, i] S[j, j]); the fp32 error scales with it.
                double bound = Fp32Relative * Math.Sqrt(reference.Scatter[i, i] * reference.Scatter[j, j]) + 1e-12;
                Assert.That(scatter[i * columns + j], Is.EqualTo(reference.Scatter[i, j]).Within(bound), $"S[{i},{j}]");
                Assert.That(scatter[i * columns + j], Is.EqualTo(scatter[j * columns + i]), $"S[{i},{j}] = S[{j},{i}]");
            }
        }
    }

    // Up to 5, the components the data plant: beyond them the noise eigenvalues nearly tie, and the
    // top-k subspace turns by fp32's rounding over their gap (Davis-Kahan), in any float PCA.
    [TestCase(1)]
    [TestCase(3)]
    [TestCase(5)]
    public void Reconstruction_MatchesTheReferenceAndItsErrorIsTheDiscardedVariance(int components)
    {
        const int rows = 4500, columns = 13; // blocks of rows, the last partial
        var (data, _, _) = Synthetic(3, rows, columns, [6, 5, 2, 1, 0.5], 0.4);
        var reference = new ReferencePca(data, rows, columns);
        var pca = Pca.Fit(Gpu, data, rows, columns, components);

        var reconstruction = pca.ReconstructRows(Gpu, data, rows);

        var expected = reference.Reconstruct(data, rows, components);
        double squaredError = 0, largestDifference = 0;
        for (int i = 0; i < data.Length; i++)
        {
            squaredError += Math.Pow(data[i] - (double)reconstruction[i], 2);
            largestDifference = Math.Max(largestDifference, Math.Abs(reconstruction[i] - expected[i]));
        }

        TestContext.Out.WriteLine($"largest difference from the double reconstruction: {largestDifference:E2}");
        // Values around 3 (the mean) carry 2^-24 · 3 ≈ 2e-7 of float rounding each way.
        Assert.That(largestDifference, Is.LessThan(1e-5));
        // Variances use divisor n - 1, so the total squared error over the n rows is (n - 1) times the discarded ones.
        double discarded = reference.Variances.Skip(components).Sum();
        TestContext.Out.WriteLine($"squared error {squaredError:R} vs {(rows - 1) * discarded:R}");
        Assert.That(squaredError, Is.EqualTo((rows - 1) * discarded).Within(1e-3).Percent);
    }

    [Test]
    public void AllComponents_ExplainAllTheVariance()
    {
        const int rows = 700, columns = 13;
        var (data, _, _) = Synthetic(4, rows, columns, [6, 5, 2, 1, 0.5], 0.4);

        var pca = Pca.Fit(Gpu, data, rows, columns, components: columns);

        Assert.That(pca.ExplainedVarianceRatios.Sum(), Is.EqualTo(1).Within(Fp32Relative));
        for (int i = 0; i < columns; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                Assert.That(AnalysisRandom.Dot(pca.Directions, i, pca.Directions, j, columns), Is.EqualTo(i == j ? 1 : 0).Within(1e-12));
            }
        }
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Fit_IsBitIdenticalFromRunToRun(bool iterative)
    {
        var (data, _, _) = Synthetic(6, 2000, 43, [4, 3, 2], 0.5);

        var first = Pca.Fit(Gpu, data, 2000, 43, 3, Solver(iterative));
        var second = Pca.Fit(Gpu, data, 2000, 43, 3, Solver(iterative));

        Assert.That(second.Directions, Is.EqualTo(first.Directions));
        Assert.That(second.Variances, Is.EqualTo(first.Variances));
    }

    [Test]
    public void TooManyComponents_SaysTheRange()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Pca.Fit(Gpu, new float[20], 4, 5, components: 6))!;
        Assert.That(error.Message, Does.Contain("choose 1..5"));
    }

    [Test]
    public void ReconstructingOtherSizedSamples_NamesBothSizes()
    {
        var (data, _, _) = Synthetic(7, 50, 6, [2], 0.1);
        var pca = Pca.Fit(Gpu, data, 50, 6, components: 1);

        var error = Assert.Throws<ArgumentException>(() => pca.ReconstructRows(Gpu, new float[14], 2))!;
        Assert.That(error.Message, Does.Contain("14 values for 2 samples of dimension 6"));
    }

    /// <summary>Times the MNIST-sized fit (60000 x 784) and a 64x64x3 one; run explicitly, prints the solver summaries.</summary>
    [Test]
    [Explicit("timing: minutes on lavapipe")]
    public void Timing_MnistAndImageSizes()
    {
        foreach (var (rows, columns, components) in new[] { (60000, 784, 32), (10000, 12288, 32) })
        {
            var variances = Enumerable.Range(0, 64).Select(i => 1.0 / (1 + i)).ToArray();
            var random = new Random(7);
            var basis = AnalysisRandom.Gaussians(random, variances.Length * columns);
            var data = new float[rows * columns];
            Parallel.For(0, rows, r =>
            {
                var local = new Random(r);
                for (int i = 0; i < variances.Length; i++)
                {
                    double z = Math.Sqrt(variances[i] / columns) * AnalysisRandom.Gaussian(local);
                    for (int c = 0; c < columns; c++)
                    {
                        data[r * columns + c] += (float)(z * basis[i * columns + c]);
                    }
                }

                for (int c = 0; c < columns; c++)
                {
                    data[r * columns + c] += (float)(0.01 * local.NextDouble());
                }
            });

            var clock = System.Diagnostics.Stopwatch.StartNew();
            var pca = Pca.Fit(Gpu, data, rows, columns, components);
            TestContext.Out.WriteLine($"{rows}x{columns}, k={components}: {clock.Elapsed.TotalSeconds:F2} s total; {pca.SolverSummary}");
            Assert.That(pca.Variances, Is.Ordered.Descending);
        }
    }
}

/// <summary>The same fit through staging buffers, as on a discrete GPU.</summary>
[TestFixture]
public class PcaStagingTests : GpuTest
{
    internal override GpuOptions Options => new(Validation: true, ForceStaging: true);

    [TestCase(false)]
    [TestCase(true)]
    public void AgreesWithTheDoublePrecisionReference(bool iterative)
    {
        const int rows = 600, columns = 21, components = 3;
        var (data, _, _) = PcaTests.Synthetic(8, rows, columns, [5, 3, 2, 1], 0.2);
        var reference = new ReferencePca(data, rows, columns);

        var pca = Pca.Fit(Gpu, data, rows, columns, components, PcaTests.Solver(iterative), rowsPerBlock: 256);
        var reconstruction = pca.ReconstructRows(Gpu, data, rows);

        Assert.That(pca.Variances, Is.EqualTo(reference.Variances[..components]).Within(1e-5 * reference.TotalVariance));
        var expected = reference.Reconstruct(data, rows, components);
        Assert.That(reconstruction.Select((v, i) => Math.Abs(v - expected[i])).Max(), Is.LessThan(1e-5));
    }
}
