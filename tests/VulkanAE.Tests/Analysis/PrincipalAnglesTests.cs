using VulkanAE.Analysis;

namespace VulkanAE.Tests.Analysis;

[TestFixture]
public class PrincipalAnglesTests
{
    [Test]
    public void SameSubspace_FromDifferentSpanningVectors_IsZero()
    {
        var random = new Random(1);
        var a = AnalysisRandom.Gaussians(random, 5 * 50);

        var angles = PrincipalAngles.Degrees(a, 5, MixRows(random, a, 5, 50), 5, 50);

        Assert.That(angles, Has.Length.EqualTo(5));
        Assert.That(angles, Is.All.LessThan(1e-5));
    }

    [Test]
    public void OrthogonalSubspaces_AreNinety()
    {
        var a = UnitRows(6, 0, 1);
        var b = UnitRows(6, 2, 3);

        Assert.That(PrincipalAngles.Degrees(a, 2, b, 2, 6), Is.EqualTo(new double[] { 90, 90 }).Within(1e-12));
    }

    [TestCase(10.0)]
    [TestCase(37.5)]
    [TestCase(89.0)]
    public void RotationInOnePlane_GivesThatAngleAndZeroForTheSharedDirection(double degrees)
    {
        // span(e0, e2) against span(cos t e0 + sin t e1, e2) in R^5.
        double t = degrees * Math.PI / 180;
        var a = UnitRows(5, 0, 2);
        var b = UnitRows(5, 0, 2);
        b[0] = Math.Cos(t);
        b[1] = Math.Sin(t);

        var angles = PrincipalAngles.Degrees(a, 2, b, 2, 5);

        Assert.That(angles[0], Is.EqualTo(0).Within(1e-6));
        Assert.That(angles[1], Is.EqualTo(degrees).Within(1e-9));
    }

    [Test]
    public void InvertibleChangeOfSpanningVectors_LeavesTheAnglesUnchanged()
    {
        var random = new Random(2);
        const int d = 30;
        var a = AnalysisRandom.Gaussians(random, 4 * d);
        var b = AnalysisRandom.Gaussians(random, 6 * d);

        var angles = PrincipalAngles.Degrees(a, 4, b, 6, d);
        var mixed = PrincipalAngles.Degrees(MixRows(random, a, 4, d), 4, MixRows(random, b, 6, d), 6, d);

        Assert.That(angles, Has.Length.EqualTo(4));
        Assert.That(angles.Zip(angles.Skip(1)).All(p => p.First <= p.Second), "ascending");
        Assert.That(mixed, Is.EqualTo(angles).Within(1e-8));
        Assert.That(PrincipalAngles.Degrees(b, 6, a, 4, d), Is.EqualTo(angles).Within(1e-8), "symmetric in its arguments");
    }

    [Test]
    public void SubspaceInsideALargerOne_IsZero()
    {
        var random = new Random(3);
        var b = AnalysisRandom.Gaussians(random, 5 * 20);
        var a = new double[2 * 20];
        for (int c = 0; c < 20; c++)
        {
            a[c] = b[c] - 2 * b[3 * 20 + c];
            a[20 + c] = b[20 + c] + b[4 * 20 + c];
        }

        Assert.That(PrincipalAngles.Degrees(a, 2, b, 5, 20), Is.All.LessThan(1e-5));
    }

    [Test]
    public void LinearDecoderWeight_ItsColumnsSpanTheSubspace()
    {
        // A PyTorch Linear(k=2 -> d=3) weight [3, 2] whose columns are e0 and e1.
        float[] weight = [1, 0, 0, 1, 0, 0];
        var spanning = PrincipalAngles.Transpose(weight, 3, 2);
        float[] plane = [1, 1, 0, 1, -1, 0];

        Assert.That(spanning, Is.EqualTo(new float[] { 1, 0, 0, 0, 1, 0 }));
        Assert.That(PrincipalAngles.Degrees(spanning, 2, plane, 2, 3), Is.All.LessThan(1e-5));
    }

    [Test]
    public void DependentSpanningVectors_AreRejected()
    {
        double[] a = [1, 2, 3, 2, 4, 6];
        var error = Assert.Throws<ArgumentException>(() => PrincipalAngles.Degrees(a, 2, a, 1, 3))!;
        Assert.That(error.Message, Does.Contain("first subspace: vector 1 is linearly dependent"));
    }

    private static double[] UnitRows(int dimension, params int[] axes)
    {
        var rows = new double[axes.Length * dimension];
        for (int i = 0; i < axes.Length; i++)
        {
            rows[i * dimension + axes[i]] = 1;
        }

        return rows;
    }

    /// <summary>M A for a random (almost surely invertible) M [count, count].</summary>
    private static double[] MixRows(Random random, double[] a, int count, int dimension)
    {
        var m = AnalysisRandom.Gaussians(random, count * count);
        var result = new double[a.Length];
        for (int i = 0; i < count; i++)
        {
            for (int j = 0; j < count; j++)
            {
                for (int c = 0; c < dimension; c++)
                {
                    result[i * dimension + c] += m[i * count + j] * a[j * dimension + c];
                }
            }
        }

        return result;
    }
}
