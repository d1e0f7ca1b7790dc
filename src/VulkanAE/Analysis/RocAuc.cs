namespace VulkanAE.Analysis;

/// <summary>
/// Receiver operating characteristic of an anomaly score: a higher score should mean "more
/// anomalous", and the positive class is the anomalous one. The area under the curve is the
/// probability that a random anomalous sample scores above a random normal one, ties counting
/// half: the Mann-Whitney U statistic divided by n_pos n_neg (Hanley and McNeil 1982), computed
/// exactly from mid-ranks in O(n log n).
/// </summary>
internal static class RocAuc
{
    /// <summary>One point of the curve: the rates obtained when samples scoring at least <paramref name="Threshold"/> are called anomalous.</summary>
    public readonly record struct Point(double FalsePositiveRate, double TruePositiveRate, double Threshold);

    public static double Area(ReadOnlySpan<float> scores, ReadOnlySpan<bool> anomalous)
    {
        var order = SortedIndices(scores, anomalous, out int positives, out int negatives);
        // Mid-ranks (1-based) of each group of tied scores, summed over the positives.
        double positiveRankSum = 0;
        for (int start = 0; start < order.Length;)
        {
            int end = EndOfTies(scores, order, start);
            double midRank = (start + 1 + end) / 2.0;
            for (int i = start; i < end; i++)
            {
                if (anomalous[order[i]])
                {
                    positiveRankSum += midRank;
                }
            }

            start = end;
        }

        double u = positiveRankSum - positives * (positives + 1.0) / 2;
        return u / ((double)positives * negatives);
    }

    /// <summary>
    /// The curve from (0, 0) to (1, 1), one point per distinct score taken as threshold from the
    /// highest down. Tied scores move both rates at once, so the trapezoid area under these points
    /// equals <see cref="Area"/>.
    /// </summary>
    public static Point[] Curve(ReadOnlySpan<float> scores, ReadOnlySpan<bool> anomalous)
    {
        var order = SortedIndices(scores, anomalous, out int positives, out int negatives);
        var points = new List<Point> { new(0, 0, double.PositiveInfinity) };
        int truePositives = 0, falsePositives = 0;
        for (int end = order.Length; end > 0;)
        {
            int start = StartOfTies(scores, order, end);
            for (int i = start; i < end; i++)
            {
                if (anomalous[order[i]])
                {
                    truePositives++;
                }
                else
                {
                    falsePositives++;
                }
            }

            points.Add(new Point((double)falsePositives / negatives, (double)truePositives / positives, scores[order[start]]));
            end = start;
        }

        return points.ToArray();
    }

    /// <summary>
    /// The point of <paramref name="curve"/> (from <see cref="Curve"/>) that flags the most anomalies while its false positive
    /// rate stays at or below <paramref name="falsePositiveRate"/>: the threshold to use for that rate, and the recall there.
    /// </summary>
    public static Point AtFalsePositiveRate(IReadOnlyList<Point> curve, double falsePositiveRate)
    {
        if (!(falsePositiveRate >= 0 && falsePositiveRate <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(falsePositiveRate), falsePositiveRate, "a false positive rate is between 0 and 1");
        }

        // The rates only grow along the curve, and its first point (0, 0) always qualifies.
        return curve.TakeWhile(point => point.FalsePositiveRate <= falsePositiveRate).Last();
    }

    /// <summary>Indices by ascending score.</summary>
    private static int[] SortedIndices(ReadOnlySpan<float> scores, ReadOnlySpan<bool> anomalous, out int positives, out int negatives)
    {
        if (scores.Length != anomalous.Length)
        {
            throw new ArgumentException($"{scores.Length} scores but {anomalous.Length} labels");
        }

        positives = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            if (float.IsNaN(scores[i]))
            {
                throw new ArgumentException($"score {i} is NaN: the anomaly scores must be numbers (did the model diverge?)", nameof(scores));
            }

            positives += anomalous[i] ? 1 : 0;
        }

        negatives = scores.Length - positives;
        if (positives == 0 || negatives == 0)
        {
            throw new ArgumentException($"ROC needs both classes; the labels have {positives} anomalous and {negatives} normal samples", nameof(anomalous));
        }

        var keys = scores.ToArray();
        var order = Enumerable.Range(0, keys.Length).ToArray();
        Array.Sort(keys, order);
        return order;
    }

    private static int EndOfTies(ReadOnlySpan<float> scores, int[] order, int start)
    {
        int end = start + 1;
        while (end < order.Length && scores[order[end]] == scores[order[start]])
        {
            end++;
        }

        return end;
    }

    private static int StartOfTies(ReadOnlySpan<float> scores, int[] order, int end)
    {
        int start = end - 1;
        while (start > 0 && scores[order[start - 1]] == scores[order[end - 1]])
        {
            start--;
        }

        return start;
    }
}
