using System.Diagnostics;

namespace VulkanAE.IO;

/// <summary>
/// Faults injected into <see cref="RunFile"/> for the tests that prove a run survives them, as
/// SQLite tests its journal: VULKANAE_FAULT_AT=N counts the writer's fault points (each file
/// written, then each rename) and at the Nth kills the process with SIGKILL, after writing only
/// half of a file's temporary copy or just before a rename; VULKANAE_FAULT_AT=N:full makes the
/// Nth file's write fail as a full disk would. Unset (as in any real run), nothing happens.
/// </summary>
internal static class WriteFaults
{
    public const string Variable = "VULKANAE_FAULT_AT";

    // Lazy: a wrong value is then a UserInputException at the first write, not a type initialiser's failure.
    private static readonly Lazy<(int Point, bool FullDisk)?> Plan = new(() => Parse(Environment.GetEnvironmentVariable(Variable)));
    private static int _points;

    /// <summary>A fault point after a file's content was written to <paramref name="temporary"/>, before it is flushed.</summary>
    public static void AtWrite(FileStream temporary)
    {
        if (!Reached()) return;
        if (Plan.Value!.Value.FullDisk)
            throw new IOException($"No space left on device : '{temporary.Name}'", Posix.NoSpaceLeft);
        temporary.SetLength(temporary.Length / 2);
        temporary.Flush(flushToDisk: true);
        Kill();
    }

    /// <summary>A fault point before a staged file is renamed into place (a full disk's count skips these).</summary>
    public static void AtPublish()
    {
        if (Plan.Value is { FullDisk: false } && Reached()) Kill();
    }

    private static bool Reached() => Plan.Value is { } plan && Interlocked.Increment(ref _points) == plan.Point;

    private static void Kill()
    {
        Console.Error.WriteLine($"{Variable}: killed at fault point {_points}");
        Process.GetCurrentProcess().Kill();
    }

    private static (int, bool)? Parse(string? value)
    {
        if (string.IsNullOrEmpty(value)) return null;
        var parts = value.Split(':');
        if (!int.TryParse(parts[0], out int point) || point < 1 || parts.Length > 2 || (parts.Length == 2 && parts[1] != "full"))
            throw new UserInputException($"{Variable} is '{value}': expected N or N:full, N counting the writer's fault points from 1");
        return (point, parts.Length == 2);
    }
}
