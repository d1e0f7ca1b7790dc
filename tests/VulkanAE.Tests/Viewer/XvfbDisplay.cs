using System.Diagnostics;
using VulkanAE.IO;

namespace VulkanAE.Tests.Viewer;

/// <summary>
/// A virtual X display (Debian xvfb) for the window tests, on the first free display number from
/// :90, killed on dispose; screenshots of it through xwd and ImageMagick (x11-apps, imagemagick).
/// </summary>
internal sealed class XvfbDisplay : IDisposable
{
    private readonly Process _server;

    public string Name { get; }

    private XvfbDisplay(Process server, string name)
    {
        _server = server;
        Name = name;
    }

    /// <summary>Starts one, or returns null with the reason when Xvfb is not installed.</summary>
    public static XvfbDisplay? Start(int width, int height, out string reason)
    {
        foreach (var tool in new[] { "Xvfb", "xwd", "convert" })
            if (!OnPath(tool))
            {
                reason = $"{tool} is not installed (tools/setup.sh installs xvfb, x11-apps and imagemagick)";
                return null;
            }
        int number = 90;
        while (File.Exists($"/tmp/.X{number}-lock") || File.Exists($"/tmp/.X11-unix/X{number}")) number++;
        var start = new ProcessStartInfo("Xvfb", $":{number} -screen 0 {width}x{height}x24 -nolisten tcp")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        var server = Process.Start(start)!;
        server.BeginErrorReadLine();
        server.BeginOutputReadLine();
        var clock = Stopwatch.StartNew();
        while (!File.Exists($"/tmp/.X11-unix/X{number}"))
        {
            if (server.HasExited || clock.Elapsed > TimeSpan.FromSeconds(10))
                throw new InvalidOperationException($"Xvfb :{number} did not start");
            Thread.Sleep(20);
        }
        reason = "";
        return new XvfbDisplay(server, $":{number}");
    }

    private static bool OnPath(string tool) => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
        .Any(directory => File.Exists(Path.Combine(directory, tool)));

    /// <summary>The whole screen, RGB: `xwd -root | convert xwd:- png:-`.</summary>
    public RasterImage Screenshot()
    {
        var start = new ProcessStartInfo("sh", ["-c", $"xwd -root -display {Name} | convert xwd:- png:-"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        using var png = new MemoryStream();
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.BaseStream.CopyTo(png);
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"screenshot failed: {error.Result}");
        return Png.Decode(png.ToArray(), desiredChannels: 3);
    }

    public void Dispose()
    {
        if (!_server.HasExited) _server.Kill();
        _server.WaitForExit();
        _server.Dispose();
    }
}
