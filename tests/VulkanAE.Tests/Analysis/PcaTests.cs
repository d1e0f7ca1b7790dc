using VulkanAE.Analysis;

namespace VulkanAE.Tests.Analysis;

[TestFixture]
public class PcaTests
{
    /// <summary>
    /// Samples mean + sum_i sqrt(variance_i) z_i direction_i + noise, z and noise standard normal
    /// (noise scaled by <paramref name="noise"/>), the directions the first rows of a random orthogonal matrix.
    /// </summary>
    private static (float[] Data, double[] Directions, double[] Mean) Synthetic(int seed, int rows, int columns, double[] variances, double noise)
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

    [Test]
    public void KnownCovariance_RecoversDirectionsVariancesAndRatios()
    {
        const int rows = 20000, columns = 30;
        double[] variances = [16, 9, 4, 1];
        const double noise = 0.05;
        var (data, directions, mean) = Synthetic(1, rows, columns, variances, noise);

        var pca = Pca.Fit(data, rows, columns, components: 4);

        double total = variances.Sum() + columns * noise * noise;
        for (int i = 0; i < 4; i++)
        {
            double alignment = Math.Abs(AnalysisRandom.Dot(pca.Directions, i, directions, i, columns));
            Assert.That(alignment, Is.GreaterThan(0.999), $"|cos| between direction {i} and the true one (sign is free)");
            // Sample variance of n Gaussians: relative standard deviation sqrt(2 / n) = 1%.
            Assert.That(pca.Variances[i], Is.EqualTo(variances[i]).Within(4).Percent, $"variance {i}");
            Assert.That(pca.ExplainedVarianceRatios[i], Is.EqualTo(variances[i] / total).Within(4).Percent, $"ratio {i}");
        }

        Assert.That(pca.TotalVariance, Is.EqualTo(total).Within(3).Percent);
        Assert.That(pca.Mean, Is.EqualTo(mean).Within(0.1));
    }

    [Test]
    public void Directions_AreOrthonormalAndVariancesDescending()
    {
        var (data, _, _) = Synthetic(2, 500, 17, [5, 4, 3, 2, 1], 0.3);

        var pca = Pca.Fit(data, 500, 17, components: 9);

        for (int i = 0; i < 9; i++)
        {
            for (int j = 0; j < 9; j++)
            {
                Assert.That(AnalysisRandom.Dot(pca.Directions, i, pca.Directions, j, 17), Is.EqualTo(i == j ? 1 : 0).Within(1e-12));
            }
        }

        Assert.That(pca.Variances, Is.Ordered.Descending);
    }

    [TestCase(1)]
    [TestCase(3)]
    [TestCase(11)]
    public void TrainingReconstructionError_IsTheSumOfDiscardedEigenvalues(int components)
    {
        const int rows = 700, columns = 13;
        var (data, _, _) = Synthetic(3, rows, columns, [6, 5, 2, 1, 0.5], 0.4);
        var all = Pca.Fit(data, rows, columns, components: columns);
        var pca = Pca.Fit(data, rows, columns, components);

        var reconstruction = pca.ReconstructRows(data, rows);

        double squaredError = 0;
        for (int i = 0; i < data.Length; i++)
        {
            squaredError += Math.Pow(data[i] - (double)reconstruction[i], 2);
        }

        // Variances use divisor n - 1, so the total squared error over the n rows is (n - 1) times the discarded ones.
        double discarded = all.Variances.Skip(components).Sum();
        Assert.That(squaredError, Is.EqualTo((rows - 1) * discarded).Within(1e-5).Percent);
        Assert.That(all.ExplainedVarianceRatios.Sum(), Is.EqualTo(1).Within(1e-12), "all components explain everything");
    }

    [Test]
    public void Project_GivesCoordinatesAlongTheDirections()
    {
        var (data, _, _) = Synthetic(4, 300, 8, [3, 2], 0.2);
        var pca = Pca.Fit(data, 300, 8, components: 2);
        var sample = data.AsSpan(5 * 8, 8);

        var codes = new double[2];
        pca.Project(sample, codes);
        var reconstruction = new float[8];
        pca.Reconstruct(sample, reconstruction);

        for (int c = 0; c < 8; c++)
        {
            double expected = pca.Mean[c] + codes[0] * pca.Directions[c] + codes[1] * pca.Directions[8 + c];
            Assert.That(reconstruction[c], Is.EqualTo(expected).Within(1e-5));
        }

        double manual = 0;
        for (int c = 0; c < 8; c++)
        {
            manual += pca.Directions[c] * (sample[c] - pca.Mean[c]);
        }

        Assert.That(codes[0], Is.EqualTo(manual).Within(1e-12));
    }

    [TestCase(1, 5)]
    [TestCase(300, 37)] // one partial chunk; columns not a multiple of the 4x4 tile
    [TestCase(1001, 9)] // several chunks, the last partial
    public void Scatter_MatchesTheTwoPassDefinition(int rows, int columns)
    {
        var random = new Random(rows);
        var data = AnalysisRandom.Gaussians(random, rows * columns).Select(v => (float)(v + 10)).ToArray();

        var mean = Scatter.ColumnMeans(data, rows, columns);
        var scatter = Scatter.Centered(data, rows, columns, mean);

        for (int i = 0; i < columns; i++)
        {
            double sum = 0;
            for (int r = 0; r < rows; r++)
            {
                sum += data[r * columns + i];
            }

            Assert.That(mean[i], Is.EqualTo(sum / rows).Within(1e-12));
            for (int j = 0; j < columns; j++)
            {
                double expected = 0;
                for (int r = 0; r < rows; r++)
                {
                    expected += (data[r * columns + i] - sum / rows) * (data[r * columns + j] - mean[j]);
                }

                Assert.That(scatter[i * columns + j], Is.EqualTo(expected).Within(1e-9 * rows), $"S[{i},{j}]");
            }
        }

        Assert.That(Scatter.TotalSquaredDeviation(data, rows, columns, mean),
            Is.EqualTo(Enumerable.Range(0, columns).Sum(i => scatter[i * columns + i])).Within(1e-9 * rows));
    }

    [Test]
    public void SubspaceIteration_AgreesWithTheCovarianceSolver()
    {
        const int rows = 1500, columns = 211, components = 6;
        var variances = Enumerable.Range(0, 20).Select(i => 10.0 * Math.Pow(0.7, i)).ToArray();
        var (data, _, _) = Synthetic(5, rows, columns, variances, 0.1);

        var exact = Pca.Fit(data, rows, columns, components, PcaSolver.Covariance);
        var iterative = Pca.Fit(data, rows, columns, components, PcaSolver.SubspaceIteration);

        Assert.That(iterative.SolverSummary, Does.StartWith("subspace iteration").And.Not.Contain("did not reach"));
        Assert.That(iterative.Variances, Is.EqualTo(exact.Variances).Within(1e-9).Percent);
        Assert.That(iterative.TotalVariance, Is.EqualTo(exact.TotalVariance));
        var angles = PrincipalAngles.Degrees(exact.Directions, components, iterative.Directions, components, columns);
        Assert.That(angles, Is.All.LessThan(1e-3));
        for (int i = 0; i < components; i++)
        {
            Assert.That(Math.Abs(AnalysisRandom.Dot(exact.Directions, i, iterative.Directions, i, columns)), Is.EqualTo(1).Within(1e-8), $"direction {i}");
        }
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Fit_IsBitIdenticalFromRunToRun(bool iterative)
    {
        var solver = iterative ? PcaSolver.SubspaceIteration : PcaSolver.Covariance;
        var (data, _, _) = Synthetic(6, 2000, 43, [4, 3, 2], 0.5);

        var first = Pca.Fit(data, 2000, 43, 3, solver);
        var second = Pca.Fit(data, 2000, 43, 3, solver);

        Assert.That(second.Directions, Is.EqualTo(first.Directions));
        Assert.That(second.Variances, Is.EqualTo(first.Variances));
    }

    [Test]
    public void TooManyComponents_SaysTheRange()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Pca.Fit(new float[20], 4, 5, components: 6))!;
        Assert.That(error.Message, Does.Contain("choose 1..5"));
    }

    /// <summary>Times the MNIST-sized fit (60000 x 784) and a 64x64x3 one; run explicitly, prints the solver summaries.</summary>
    [Test]
    [Explicit("timing: about 40 s on two cores")]
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
            var pca = Pca.Fit(data, rows, columns, components);
            TestContext.Out.WriteLine($"{rows}x{columns}, k={components}: {clock.Elapsed.TotalSeconds:F2} s total; {pca.SolverSummary}");
            Assert.That(pca.Variances, Is.Ordered.Descending);
        }
    }
}
