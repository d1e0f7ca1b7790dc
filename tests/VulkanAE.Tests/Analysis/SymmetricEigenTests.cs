using VulkanAE.Analysis;

namespace VulkanAE.Tests.Analysis;

[TestFixture]
public class SymmetricEigenTests
{
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(7)]
    [TestCase(64)]
    [TestCase(201)]
    public void RandomSymmetric_SatisfiesAvEqualsLambdaV_WithOrthonormalSortedVectors(int n)
    {
        var random = new Random(n);
        var b = AnalysisRandom.Gaussians(random, n * n);
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                a[i * n + j] = b[i * n + j] + b[j * n + i];
            }
        }

        var eigen = SymmetricEigen.Decompose(a, n);

        AssertEigenpairs(a, eigen, tolerance: 1e-10 * Math.Max(1, MaxAbs(eigen.Values)));
    }

    [Test]
    public void DiagonalMatrix_GivesItsDiagonalDescendingAndUnitVectors()
    {
        double[] diagonal = [3, -1, 7, 0.5, 2];
        int n = diagonal.Length;
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            a[i * n + i] = diagonal[i];
        }

        var eigen = SymmetricEigen.Decompose(a, n);

        Assert.That(eigen.Values, Is.EqualTo(new double[] { 7, 3, 2, 0.5, -1 }).Within(1e-14));
        int[] sourceIndex = [2, 0, 4, 3, 1];
        for (int i = 0; i < n; i++)
        {
            Assert.That(Math.Abs(eigen.Vectors[i * n + sourceIndex[i]]), Is.EqualTo(1).Within(1e-14), $"eigenvector {i}");
        }
    }

    [Test]
    public void RepeatedEigenvalues_GiveAnOrthonormalBasisOfEachEigenspace()
    {
        const int n = 40;
        var random = new Random(5);
        var q = AnalysisRandom.Orthogonal(random, n);
        var values = Enumerable.Range(0, n).Select(i => i < 5 ? 4.0 : i < 15 ? 1.0 : 0.25 * (i - 14) / n).ToArray();
        var a = AnalysisRandom.WithEigenpairs(q, values);

        var eigen = SymmetricEigen.Decompose(a, n);

        Assert.That(eigen.Values, Is.EqualTo(values.OrderDescending().ToArray()).Within(1e-12));
        AssertEigenpairs(a, eigen, tolerance: 1e-12);
    }

    [Test]
    public void ZeroMatrix_GivesZerosAndAnOrthonormalBasis()
    {
        var eigen = SymmetricEigen.Decompose(new double[9], 3);

        Assert.That(eigen.Values, Is.All.EqualTo(0));
        AssertOrthonormal(eigen.Vectors, 3);
    }

    [Test]
    public void NotSquare_NamesTheSizes()
    {
        var error = Assert.Throws<ArgumentException>(() => SymmetricEigen.Decompose(new double[5], 2))!;
        Assert.That(error.Message, Does.Contain("5 elements for a 2x2 matrix"));
    }

    private static void AssertEigenpairs(double[] a, SymmetricEigen.Decomposition eigen, double tolerance)
    {
        int n = eigen.Size;
        for (int i = 1; i < n; i++)
        {
            Assert.That(eigen.Values[i], Is.LessThanOrEqualTo(eigen.Values[i - 1]), $"values sorted descending at {i}");
        }

        AssertOrthonormal(eigen.Vectors, n);
        double worst = 0;
        for (int k = 0; k < n; k++)
        {
            for (int i = 0; i < n; i++)
            {
                double av = 0;
                for (int j = 0; j < n; j++)
                {
                    av += a[i * n + j] * eigen.Vectors[k * n + j];
                }

                worst = Math.Max(worst, Math.Abs(av - eigen.Values[k] * eigen.Vectors[k * n + i]));
            }
        }

        Assert.That(worst, Is.LessThan(tolerance), "max |A v - lambda v|");
    }

    private static void AssertOrthonormal(double[] rows, int n)
    {
        double worst = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                worst = Math.Max(worst, Math.Abs(AnalysisRandom.Dot(rows, i, rows, j, n) - (i == j ? 1 : 0)));
            }
        }

        Assert.That(worst, Is.LessThan(1e-12), "max |V V^T - I|");
    }

    private static double MaxAbs(double[] values) => values.Max(Math.Abs);
}
