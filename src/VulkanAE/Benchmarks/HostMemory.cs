namespace VulkanAE.Benchmarks;

/// <summary>
/// The process's peak resident memory (Linux's VmHWM, which writing 5 to /proc/self/clear_refs
/// resets, so each stage of a benchmark gets its own peak); elsewhere .NET's peak working set, not resettable.
/// </summary>
internal static class HostMemory
{
    private const string Status = "/proc/self/status";

    /// <summary>Starts a new peak from the memory resident now, where the system allows it.</summary>
    public static void ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not Linux, or not allowed: the peak keeps counting from the start of the process.
        }
    }

    public static long PeakBytes()
    {
        if (File.Exists(Status))
            foreach (var line in File.ReadLines(Status))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0]) * 1024;
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }
}
