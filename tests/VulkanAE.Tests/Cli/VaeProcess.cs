using System.Diagnostics;

namespace VulkanAE.Tests.Cli;

/// <summary>
/// Runs the `vae` CLI (built next to the tests) as a user would, and captures what it prints. Each
/// process gets an empty kernel-choice cache of its own unless the caller names one, so tests never
/// read or write the user's.
/// </summary>
internal static class VaeProcess
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static Result Run(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "vae.dll"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["VULKANAE_CACHE"] = Directory.CreateTempSubdirectory("vae-cache").FullName;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5))) process.Kill(entireProcessTree: true);
        return new Result(process.ExitCode, output.Result, error.Result);
    }
}
