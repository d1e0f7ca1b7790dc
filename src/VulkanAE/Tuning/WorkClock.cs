using VulkanAE.Core;

namespace VulkanAE.Tuning;

/// <summary>
/// How tuning times one run of recorded work: on a GPU, the sum of its commands' GPU timestamps;
/// on a CPU driver (lavapipe), the process's CPU time over the submission, every thread counted
/// (the dispatches run on the driver's worker threads). Lavapipe's timestamps are read from the
/// host clock as the worker reaches each command, so on a shared machine they include every
/// stretch another process held the core, and they move with the machine's load rather than
/// with the kernel; CPU time counts the work done.
/// </summary>
internal sealed class WorkClock : IDisposable
{
    private readonly Sequence _sequence;
    private readonly bool _cpuTime;

    public WorkClock(Gpu gpu, string name, Action<SequenceRecorder> record)
    {
        _cpuTime = CountsCpuTime(gpu.Info);
        _sequence = Sequence.Record(gpu, name, record, profile: !_cpuTime);
    }

    /// <summary>Whether work on <paramref name="device"/> is timed by the process's CPU time (a CPU driver) rather than GPU timestamps.</summary>
    public static bool CountsCpuTime(DeviceInfo device) => device.IsCpu;

    /// <summary>Milliseconds of one run.</summary>
    public double Sample()
    {
        if (!_cpuTime)
        {
            _sequence.Submit().Wait();
            return _sequence.CommandTimes().Sum(c => c.Milliseconds);
        }
        var before = ProcessCpuTime();
        _sequence.Submit().Wait();
        return (ProcessCpuTime() - before).TotalMilliseconds;
    }

    /// <summary>The median of <paramref name="runs"/> runs.</summary>
    public double Median(int runs) => ChoiceRule.Median(Enumerable.Range(0, runs).Select(_ => Sample()));

    /// <summary>This process's CPU time so far, every thread counted.</summary>
    public static TimeSpan ProcessCpuTime()
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    public void Dispose() => _sequence.Dispose();
}
