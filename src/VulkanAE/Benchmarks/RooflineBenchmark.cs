using VulkanAE.Core;
using VulkanAE.Kernels.Roofline;

namespace VulkanAE.Benchmarks;

/// <summary>
/// A device's ceilings, measured: the FMA peak (GFLOP/s of independent vec4 FMA chains, the best
/// chain count) and the copy bandwidth (GB/s read + written, of vkCmdCopyBuffer and of a shader).
/// On a CPU driver also the FMA peak per second of this process's CPU time (NaN elsewhere): on
/// cores shared with other processes, the ceiling that CPU time per dispatch is compared with.
/// </summary>
internal sealed record Roofline(double FmaGflops, double TransferCopyGBs, double ShaderCopyGBs, double FmaGflopsPerCpuSecond = double.NaN)
{
    /// <summary>The highest bandwidth measured: what a memory-bound kernel's share is taken of.</summary>
    public double CopyGBs => Math.Max(TransferCopyGBs, ShaderCopyGBs);

    /// <summary>The share of the FMA peak that <paramref name="gflops"/> is.</summary>
    public double ShareOfFma(double gflops) => gflops / FmaGflops;

    /// <summary>The share of the CPU-time FMA peak that <paramref name="gflopsPerCpuSecond"/> is (NaN off CPU drivers).</summary>
    public double ShareOfCpuFma(double gflopsPerCpuSecond) => gflopsPerCpuSecond / FmaGflopsPerCpuSecond;
}

/// <summary>`vae bench --suite roofline`: measures and prints the <see cref="Roofline"/>.</summary>
internal static class RooflineBenchmark
{
    /// <summary>
    /// Chains x steps per loop iteration tried for the FMA peak: which reaches it depends on how the
    /// driver's compiler schedules the chains (lavapipe: 2 x 16 and 4 x 4 measured best, 4 x 16 half as fast).
    /// </summary>
    private static readonly (int Chains, int StepsPerIteration)[] ChainShapes = [(2, 4), (2, 16), (4, 4), (6, 4), (8, 2)];
    private const uint WorkgroupSize = 64;
    private const double CalibratedMilliseconds = 20;
    private const long CopyBytes = 64L << 20;

    public static Roofline Measure(Gpu gpu, TextWriter output, int repeats)
    {
        if (!gpu.Info.TimestampsOnComputeQueue)
            throw new InvalidOperationException($"{gpu.Info.Name}: its compute queue has no timestamps, which the roofline is timed with.");
        output.WriteLine($"Roofline of {gpu.Info.Name} ({gpu.Info.Type}); median GPU time of up to {repeats} runs");
        // Enough invocations to fill any device (a large GPU holds about a quarter million at once).
        long invocations = Math.Min(1L << 18, (long)gpu.Info.MaxWorkGroupCountX * WorkgroupSize);
        using var offsets = gpu.CreateTensor("offsets", Enumerable.Range(0, ChainShapes.Max(c => c.Chains)).Select(c => 0.25f + c).ToArray());
        using var result = gpu.CreateTensor("result", invocations);
        double best = 0;
        string bestShape = "";
        Action<SequenceRecorder>? bestRecord = null;
        double bestFlops = 0;
        foreach (var (chains, perIteration) in ChainShapes)
        {
            void Record(SequenceRecorder r, int steps) => RooflineKernels.FmaChains(r, offsets, result, invocations, steps, chains, perIteration, 0.5f, WorkgroupSize);
            int steps = CalibratedSteps(gpu, Record, perIteration);
            double ms = KernelTiming.MedianMilliseconds(gpu, "fma chains", r => Record(r, steps), repeats);
            double gflops = RooflineKernels.ChainFlops(invocations, steps, chains) / (ms * 1e6);
            output.WriteLine($"fma: {invocations} invocations x {chains} vec4 chains x {steps} steps ({perIteration} per loop iteration): {ms,8:F3} ms {gflops,8:F1} GFLOP/s");
            if (gflops > best)
                (best, bestShape, bestRecord, bestFlops) = (gflops, $"{chains} chains x {perIteration} steps per iteration",
                    r => Record(r, steps), RooflineKernels.ChainFlops(invocations, steps, chains));
        }
        double cpuPeak = double.NaN;
        if (gpu.Info.IsCpu)
        {
            cpuPeak = bestFlops / (KernelTiming.CpuMillisecondsPerRun(gpu, "fma chains", bestRecord!, Math.Max(1, repeats / 4)) * 1e6);
            output.WriteLine($"fma per CPU second of this process (all threads; {bestShape}): {cpuPeak,8:F1} GFLOP");
        }

        long floats = Math.Min(CopyBytes, (long)gpu.Info.MaxStorageBufferRange) / 16 * 4;
        using var source = gpu.CreateTensor("source", floats);
        using var destination = gpu.CreateTensor("destination", floats);
        double bytes = 2.0 * 4 * floats; // read and written
        double transfer = bytes / (KernelTiming.MedianMilliseconds(gpu, "copy", r => r.Copy(source, destination), repeats) * 1e6);
        double shader = bytes / (KernelTiming.MedianMilliseconds(gpu, "shader copy", r => RooflineKernels.Copy(r, source, destination), repeats) * 1e6);
        output.WriteLine($"copy of {floats * 4 >> 20} MiB (GB/s read + written): vkCmdCopyBuffer {transfer:F1}, shader (vec4) {shader:F1}");
        var roofline = new Roofline(best, transfer, shader, cpuPeak);
        output.WriteLine($"FMA peak {best:F1} GFLOP/s ({bestShape}); copy bandwidth {roofline.CopyGBs:F1} GB/s");
        return roofline;
    }

    /// <summary>
    /// Steps that make one dispatch take about <see cref="CalibratedMilliseconds"/>: long enough to
    /// time, on any device. A whole number of loop iterations, so the unrolled loop does all the work.
    /// </summary>
    private static int CalibratedSteps(Gpu gpu, Action<SequenceRecorder, int> record, int perIteration)
    {
        int steps = 64 * perIteration;
        while (true)
        {
            double ms = KernelTiming.MedianMilliseconds(gpu, "fma chains calibration", r => record(r, steps), 1);
            if (ms >= CalibratedMilliseconds || steps >= 1 << 20) return steps;
            int grown = (int)Math.Min(1 << 20, steps * Math.Clamp(CalibratedMilliseconds / Math.Max(ms, 1e-3), 2, 64));
            steps = grown / perIteration * perIteration;
        }
    }
}
