using VulkanAE.Core;
using VulkanAE.Tuning;

namespace VulkanAE.Benchmarks;

/// <summary>How the kernel benchmarks and the kernel tuner time a recorded piece of work, and the data they feed it.</summary>
internal static class KernelTiming
{
    /// <summary>
    /// Median GPU time (timestamps, summed over the recorded commands) of up to
    /// <paramref name="repeats"/> runs, fewer when a run is slow (they share
    /// <paramref name="budgetMilliseconds"/>, but at least <paramref name="minimumRuns"/> run), after
    /// a warm-up run that pays the driver's shader JIT (lavapipe compiles a pipeline at its first
    /// dispatch). When the first timed run is over <paramref name="giveUpAbove"/>, its time is
    /// returned at once: the kernel tuner drops such candidates.
    /// </summary>
    public static double MedianMilliseconds(Gpu gpu, string name, Action<SequenceRecorder> record, int repeats,
        double budgetMilliseconds = 300, int minimumRuns = 1, double giveUpAbove = double.PositiveInfinity)
    {
        using var sequence = Sequence.Record(gpu, name, record, profile: true);
        sequence.Submit().Wait();
        double warm = Milliseconds(sequence);
        int runs = Math.Clamp((int)(budgetMilliseconds / Math.Max(warm, 1e-3)), Math.Max(1, minimumRuns), Math.Max(minimumRuns, repeats));
        var times = new double[runs];
        for (int i = 0; i < runs; i++)
        {
            sequence.Submit().Wait();
            times[i] = Milliseconds(sequence);
            if (i == 0 && times[0] > giveUpAbove) return times[0];
        }
        Array.Sort(times);
        return times[runs / 2];
    }

    /// <summary>
    /// CPU time of this process per run (every thread: a CPU driver such as lavapipe runs the
    /// dispatches on its own worker threads), the least of <paramref name="groups"/> groups of
    /// <paramref name="runs"/> runs after a warm-up run. On a CPU driver sharing its cores with
    /// other processes this counts the work done rather than the time waited for a core, which the
    /// GPU timestamps include.
    /// </summary>
    public static double CpuMillisecondsPerRun(Gpu gpu, string name, Action<SequenceRecorder> record, int runs, int groups = 3)
    {
        using var sequence = Sequence.Record(gpu, name, record);
        sequence.Submit().Wait();
        double best = double.PositiveInfinity;
        for (int g = 0; g < groups; g++)
        {
            var before = WorkClock.ProcessCpuTime();
            for (int i = 0; i < runs; i++) sequence.Submit().Wait();
            best = Math.Min(best, (WorkClock.ProcessCpuTime() - before).TotalMilliseconds / runs);
        }
        return best;
    }

    private static double Milliseconds(Sequence sequence) => sequence.CommandTimes().Sum(c => c.Milliseconds);

    public static float[] RandomValues(Random random, long length)
    {
        var values = new float[length];
        for (long i = 0; i < length; i++) values[i] = (float)random.NextDouble() * 2f - 1f;
        return values;
    }
}
