using System.Text.Json;
using VulkanAE.Core;

namespace VulkanAE.Tuning;

/// <summary>
/// Tuned kernel choices kept between runs: one JSON file per device in the user's cache folder,
/// named by vendor and device ID, driver version and pipeline cache UUID (a new driver starts
/// afresh). Each entry holds for one build of its op family's shaders: the SPIR-V hash it was
/// timed with. A file that cannot be read is ignored with a warning and rewritten by the next
/// tuning; writes go to a temporary file renamed over the old one, so a reader never sees half a file.
/// </summary>
internal sealed class KernelChoiceCache
{
    public const string EnvironmentVariable = "VULKANAE_CACHE";
    private const int Format = 1;

    private sealed record Entry(string ShaderBuild, JsonElement Choice);

    private sealed record Contents(int Format, string Device, Dictionary<string, Entry> Entries);

    private readonly DeviceInfo _device;
    private readonly Action<string> _warn;
    private readonly Dictionary<string, Entry> _entries;

    /// <param name="warn">Told when the file is unreadable (and then ignored).</param>
    public KernelChoiceCache(string directory, DeviceInfo device, Action<string> warn)
    {
        _device = device;
        _warn = warn;
        FilePath = Path.Combine(directory, $"kernels-{device.VendorId:x4}-{device.DeviceId:x4}-{device.DriverVersion:x8}-{device.PipelineCacheUuid}.json");
        _entries = Read(warn);
    }

    public string FilePath { get; }

    /// <summary>
    /// $VULKANAE_CACHE if set; else the platform's cache folder: $XDG_CACHE_HOME/vulkanae or
    /// ~/.cache/vulkanae on Linux, ~/Library/Caches/vulkanae on macOS, %LOCALAPPDATA%\vulkanae on Windows.
    /// </summary>
    public static string DefaultDirectory()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } chosen) return chosen;
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (OperatingSystem.IsWindows())
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "vulkanae");
        if (OperatingSystem.IsMacOS()) return Path.Combine(home, "Library", "Caches", "vulkanae");
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        return Path.Combine(xdg is { Length: > 0 } && Path.IsPathRooted(xdg) ? xdg : Path.Combine(home, ".cache"), "vulkanae");
    }

    /// <summary>The cached choice of the op's key, if it was timed with the shaders as built now.</summary>
    public JsonElement? Find(TunableOp op)
        => _entries.TryGetValue(op.Key, out var entry) && entry.ShaderBuild == op.ShaderBuild() ? entry.Choice : null;

    /// <summary>
    /// Adds tuned choices to the file, keeping what another process may have written meanwhile. A
    /// folder that cannot be written costs the choices of later runs, not this one: a warning.
    /// </summary>
    public void Store(IReadOnlyCollection<(TunableOp Op, JsonElement Choice)> choices)
    {
        if (choices.Count == 0) return;
        var entries = Read(warn: _ => { }); // this file's problems were told when it was first read
        foreach (var (op, choice) in choices) entries[op.Key] = _entries[op.Key] = new Entry(op.ShaderBuild(), choice);
        string temporary = $"{FilePath}.{Environment.ProcessId}.tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
            var contents = new Contents(Format, $"{_device.Name} ({_device.DriverName} {_device.DriverInfo})", entries);
            File.WriteAllText(temporary, JsonSerializer.Serialize(contents, new JsonSerializerOptions(TunableOp.Json) { WriteIndented = true }));
            File.Move(temporary, FilePath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _warn($"kernel choice cache {FilePath}: cannot write it ({e.Message}); set {EnvironmentVariable} to a writable folder");
        }
    }

    private Dictionary<string, Entry> Read(Action<string> warn)
    {
        if (!File.Exists(FilePath)) return new();
        try
        {
            var contents = JsonSerializer.Deserialize<Contents>(File.ReadAllText(FilePath), TunableOp.Json);
            if (contents?.Format == Format && contents.Entries is { } entries && entries.Values.All(e => e?.ShaderBuild is not null))
                return entries;
            warn($"kernel choice cache {FilePath}: not a format-{Format} cache file; ignoring it (tuning rewrites it)");
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            warn($"kernel choice cache {FilePath}: unreadable ({e.Message}); ignoring it (tuning rewrites it)");
        }
        return new();
    }
}
