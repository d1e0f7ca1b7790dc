namespace VulkanAE.Tuning;

/// <summary>
/// A challenger measured against a baseline in alternating pairs: the median of the per-pair time
/// ratios (challenger / baseline), their spread (median absolute deviation: the noise the pairs
/// themselves show), and whether the challenger wins.
/// </summary>
internal sealed record Comparison(double Ratio, double Noise, bool ChallengerWins)
{
    public override string ToString() => $"{Ratio:F3} ± {Noise:F3}";
}

/// <summary>
/// When a measured alternative replaces what runs now (one op's default, or a whole training step's
/// set of defaults). Measured on lavapipe under load (this project's 2-core machines, load average
/// 9-50): candidates timed one after another at different moments differ by 2-9x with the same
/// choice, because other processes take the cores for stretches longer than a candidate's few
/// runs. So the baseline and the challenger are timed in alternating pairs, the order swapped
/// every pair (an order effect, such as the second of two runs finding the caches warm, cancels),
/// and the challenger wins only when the median ratio beats 1 by more than both
/// <see cref="MinimumGain"/> and twice the pairs' own spread.
/// </summary>
internal static class ChoiceRule
{
    /// <summary>The least gain worth a change: below it, a new launch shape is no better than the default within any timing's reach.</summary>
    public const double MinimumGain = 0.03;

    /// <summary>Compares paired times: <paramref name="baseline"/>[i] and <paramref name="challenger"/>[i] were taken next to each other.</summary>
    public static Comparison Compare(IReadOnlyList<double> baseline, IReadOnlyList<double> challenger)
    {
        if (baseline.Count != challenger.Count || baseline.Count == 0)
            throw new ArgumentException($"paired times needed: {baseline.Count} baseline, {challenger.Count} challenger");
        var ratios = baseline.Zip(challenger, (b, c) => b > 0 ? c / b : double.PositiveInfinity).ToArray();
        double ratio = Median(ratios);
        double noise = Median(ratios.Select(r => Math.Abs(r - ratio)));
        return new Comparison(ratio, noise, 1 - ratio > Math.Max(MinimumGain, 2 * noise));
    }

    /// <summary>
    /// Takes <paramref name="pairs"/> pairs of samples, the baseline first in even pairs and the
    /// challenger first in odd ones, and compares them.
    /// </summary>
    public static Comparison Alternate(Func<double> baseline, Func<double> challenger, int pairs)
    {
        var b = new double[pairs];
        var c = new double[pairs];
        for (int i = 0; i < pairs; i++)
        {
            if (i % 2 == 0)
            {
                b[i] = baseline();
                c[i] = challenger();
            }
            else
            {
                c[i] = challenger();
                b[i] = baseline();
            }
        }
        return Compare(b, c);
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return (sorted[(sorted.Length - 1) / 2] + sorted[sorted.Length / 2]) / 2;
    }
}
