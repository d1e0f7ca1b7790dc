using System.Globalization;

namespace VulkanAE.Plots;

/// <summary>
/// One axis: the value range it shows and its ticks, every multiple of a 1-2-5 step (…, 0.1, 0.2, 0.5, 1, 2, 5, 10, …)
/// inside that range, so tick labels are round numbers a reader can interpolate between.
/// </summary>
internal sealed record AxisScale(double Min, double Max, double Step, IReadOnlyList<double> Ticks)
{
    /// <summary>Space between the data and the axis ends, as a fraction of the data range, so markers are not cut by the frame.</summary>
    public const double Margin = 0.05;

    // Tick positions are computed as k * step, whose rounding error can put an exact multiple just outside the range.
    private const double Tolerance = 1e-9;

    private static readonly double[] NiceMantissas = [1, 2, 5];

    /// <summary>
    /// The range of <paramref name="values"/>' finite elements widened by <see cref="Margin"/>, and the smallest 1-2-5
    /// step that gives at most <paramref name="maxTicks"/> ticks. An empty or single-valued range is padded first, so a
    /// flat loss curve still gets an axis with ticks around its value.
    /// </summary>
    /// <param name="maxTicks">At least 3: the step before the chosen one then gave 4 ticks or more, so the chosen step,
    /// at most 2.5 times larger, still leaves at least one tick on the axis.</param>
    public static AxisScale Fit(IEnumerable<double> values, int maxTicks)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTicks, 3);
        (double low, double high) = PaddedExtent(values);
        double margin = (high - low) * Margin;
        low -= margin;
        high += margin;

        // Start one decade below the step that would give maxTicks intervals and take the first candidate that fits.
        double decade = Math.Pow(10, Math.Floor(Math.Log10((high - low) / maxTicks)) - 1);
        while (true)
        {
            foreach (double mantissa in NiceMantissas)
            {
                double step = mantissa * decade;
                long first = (long)Math.Ceiling(low / step - Tolerance);
                long last = (long)Math.Floor(high / step + Tolerance);
                if (last - first + 1 <= maxTicks)
                {
                    double[] ticks = Enumerable.Range(0, (int)(last - first + 1)).Select(k => (first + k) * step).ToArray();
                    return new AxisScale(low, high, step, ticks);
                }
            }

            decade *= 10;
        }
    }

    /// <summary>
    /// <paramref name="value"/> with as many decimals as the step needs (step 0.05 gives "0.15"), or in exponent
    /// notation with as many digits as the step needs where plain decimals would be too long (steps below 1e-4,
    /// axes reaching 1e6).
    /// </summary>
    public string Format(double value)
    {
        // k * step can land a hair off zero (-1e-17), which would print as "-0.0" or "-1E-17".
        double rounded = Math.Abs(value) < Step * Tolerance ? 0 : value;
        int stepExponent = (int)Math.Floor(Math.Log10(Step) + Tolerance);
        double largest = Math.Max(Math.Abs(Min), Math.Abs(Max));
        if (stepExponent < -4 || largest >= 1e6)
        {
            if (rounded == 0)
            {
                return "0";
            }

            // Digits down to the step's: 2.5E+6 on a 5E+5 step, 2E-5 and 1.4E-5 on a 2E-6 step.
            int valueExponent = (int)Math.Floor(Math.Log10(Math.Abs(rounded)) + Tolerance);
            return rounded.ToString("0." + new string('0', Math.Max(0, valueExponent - stepExponent)) + "E+0", CultureInfo.InvariantCulture);
        }

        return rounded.ToString("F" + Math.Max(0, -stepExponent), CultureInfo.InvariantCulture);
    }

    private static (double Low, double High) PaddedExtent(IEnumerable<double> values)
    {
        double low = double.PositiveInfinity;
        double high = double.NegativeInfinity;
        foreach (double value in values.Where(double.IsFinite))
        {
            low = Math.Min(low, value);
            high = Math.Max(high, value);
        }

        if (low > high)
        {
            return (0, 1);
        }

        if (low == high)
        {
            // Half a unit of the value's own magnitude on each side (or ±1 around zero): the ticks then show its digits.
            double pad = low == 0 ? 1 : Math.Abs(low) * 0.5;
            return (low - pad, high + pad);
        }

        return (low, high);
    }
}
