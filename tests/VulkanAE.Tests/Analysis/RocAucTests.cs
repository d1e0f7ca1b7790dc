using VulkanAE.Analysis;

namespace VulkanAE.Tests.Analysis;

[TestFixture]
public class RocAucTests
{
    [Test]
    public void PerfectSeparation_IsOne()
    {
        Assert.That(RocAuc.Area([0.1f, 0.2f, 0.8f, 0.9f], [false, false, true, true]), Is.EqualTo(1));
    }

    [Test]
    public void ReversedSeparation_IsZero()
    {
        Assert.That(RocAuc.Area([0.1f, 0.2f, 0.8f, 0.9f], [true, true, false, false]), Is.EqualTo(0));
    }

    [Test]
    public void AllScoresTied_IsOneHalf()
    {
        Assert.That(RocAuc.Area([3f, 3f, 3f, 3f, 3f], [true, false, false, true, false]), Is.EqualTo(0.5));
    }

    [Test]
    public void SmallCase_MatchesTheHandCount()
    {
        // Normal 0.1, 0.5, 0.7; anomalous 0.5, 0.6, 0.9. Anomalous-over-normal pairs:
        // 0.5 beats 0.1, ties 0.5, loses to 0.7 -> 1.5; 0.6 -> 2; 0.9 -> 3. AUC = 6.5 / 9.
        float[] scores = [0.1f, 0.5f, 0.7f, 0.5f, 0.6f, 0.9f];
        bool[] anomalous = [false, false, false, true, true, true];

        Assert.That(RocAuc.Area(scores, anomalous), Is.EqualTo(6.5 / 9).Within(1e-15));
    }

    [Test]
    public void SmallCase_CurvePointsAreTheRatesAtEachDistinctThreshold()
    {
        float[] scores = [0.1f, 0.5f, 0.7f, 0.5f, 0.6f, 0.9f];
        bool[] anomalous = [false, false, false, true, true, true];

        var curve = RocAuc.Curve(scores, anomalous);

        (double Fpr, double Tpr)[] expected =
            [(0, 0), (0, 1 / 3.0), (1 / 3.0, 1 / 3.0), (1 / 3.0, 2 / 3.0), (2 / 3.0, 1), (1, 1)];
        Assert.That(curve.Select(p => (p.FalsePositiveRate, p.TruePositiveRate)), Is.EqualTo(expected));
        Assert.That(curve.Skip(1).Select(p => p.Threshold), Is.EqualTo(new double[] { 0.9f, 0.7f, 0.6f, 0.5f, 0.1f }));
    }

    [TestCase(1, 50, 2.0f)]
    [TestCase(2, 501, 0.25f)] // coarse quantisation: many ties
    [TestCase(3, 1000, 100f)]
    public void RandomScores_MatchTheBruteForcePairCount_AndTheCurveArea(int seed, int count, float quantisation)
    {
        var random = new Random(seed);
        var anomalous = Enumerable.Range(0, count).Select(_ => random.NextDouble() < 0.3).ToArray();
        var scores = anomalous.Select(a => MathF.Round((float)(AnalysisRandom.Gaussian(random) + (a ? 0.7 : 0)) * quantisation) / quantisation).ToArray();

        double wins = 0;
        int pairs = 0;
        for (int p = 0; p < count; p++)
        {
            for (int n = 0; n < count; n++)
            {
                if (anomalous[p] && !anomalous[n])
                {
                    wins += scores[p] > scores[n] ? 1 : scores[p] == scores[n] ? 0.5 : 0;
                    pairs++;
                }
            }
        }

        double area = RocAuc.Area(scores, anomalous);
        Assert.That(area, Is.EqualTo(wins / pairs).Within(1e-12));

        var curve = RocAuc.Curve(scores, anomalous);
        double trapezoids = 0;
        for (int i = 1; i < curve.Length; i++)
        {
            Assert.That(curve[i].FalsePositiveRate, Is.GreaterThanOrEqualTo(curve[i - 1].FalsePositiveRate));
            Assert.That(curve[i].TruePositiveRate, Is.GreaterThanOrEqualTo(curve[i - 1].TruePositiveRate));
            trapezoids += (curve[i].FalsePositiveRate - curve[i - 1].FalsePositiveRate) * (curve[i].TruePositiveRate + curve[i - 1].TruePositiveRate) / 2;
        }

        Assert.That((curve[^1].FalsePositiveRate, curve[^1].TruePositiveRate), Is.EqualTo((1.0, 1.0)));
        Assert.That(trapezoids, Is.EqualTo(area).Within(1e-12));
    }

    [Test]
    public void OneClassOnly_SaysBothAreNeeded()
    {
        var error = Assert.Throws<ArgumentException>(() => RocAuc.Area([1f, 2f], [false, false]))!;
        Assert.That(error.Message, Does.Contain("0 anomalous and 2 normal"));
    }

    [Test]
    public void NaNScore_IsRejectedByIndex()
    {
        var error = Assert.Throws<ArgumentException>(() => RocAuc.Area([1f, float.NaN], [true, false]))!;
        Assert.That(error.Message, Does.Contain("score 1 is NaN"));
    }
    [Test]
    public void AtFalsePositiveRate_GivesTheLowestThresholdWithinTheRate()
    {
        // Normal 0.1, 0.2, 0.3, 0.4, 0.8; anomalous 0.5, 0.6, 0.9. Flagging scores >= 0.5 misses no anomaly
        // and flags one normal of five (0.8): rate 0.2. Below 0.2 only >= 0.9 qualifies: recall 1/3.
        float[] scores = [0.1f, 0.2f, 0.3f, 0.4f, 0.8f, 0.5f, 0.6f, 0.9f];
        bool[] anomalous = [false, false, false, false, false, true, true, true];
        var curve = RocAuc.Curve(scores, anomalous);

        var atTwenty = RocAuc.AtFalsePositiveRate(curve, 0.2);
        Assert.That((atTwenty.Threshold, atTwenty.FalsePositiveRate, atTwenty.TruePositiveRate), Is.EqualTo(((double)0.5f, 0.2, 1.0)));
        var atTen = RocAuc.AtFalsePositiveRate(curve, 0.1);
        Assert.That((atTen.Threshold, atTen.FalsePositiveRate, atTen.TruePositiveRate), Is.EqualTo(((double)0.9f, 0.0, 1.0 / 3)));
    }

    [Test]
    public void AtFalsePositiveRate_RejectsARateOutsideZeroToOne()
    {
        var curve = RocAuc.Curve([0.1f, 0.9f], [false, true]);
        Assert.Throws<ArgumentOutOfRangeException>(() => RocAuc.AtFalsePositiveRate(curve, 1.5));
    }
}
