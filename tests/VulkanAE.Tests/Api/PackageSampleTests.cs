using System.Diagnostics;
using System.IO.Compression;
using System.Reflection;
using System.Text.Json;
using VulkanAE.Tests.Cli;
using VulkanAE.Training;

namespace VulkanAE.Tests.Api;

/// <summary>
/// `dotnet pack` makes a VulkanAE package with the SPIR-V inside, and samples/LatentGrid, built in a
/// folder of its own against that package alone (offline: the packed file and the local NuGet cache are
/// its only sources), writes the same latent grid as `vae latent-grid`.
/// </summary>
public sealed class PackageSampleTests : GpuTest
{
    [Test]
    public void TheSampleBuiltFromThePackageWritesTheLatentGrid()
    {
        var root = RepositoryRoot();
        var work = Directory.CreateTempSubdirectory("vulkanae-package").FullName;
        var feed = Path.Combine(work, "feed");
        var configuration = typeof(TrainedModel).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        Dotnet(root, "pack", Path.Combine(root, "src", "VulkanAE", "VulkanAE.csproj"), "-c", configuration, "-o", feed);
        var package = Directory.GetFiles(feed, "VulkanAE.*.nupkg").Single();
        var spirv = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "shaders"), "*.spv", SearchOption.AllDirectories);
        using (var zip = ZipFile.OpenRead(package))
        {
            var entries = zip.Entries.Select(e => e.FullName).ToList();
            Assert.That(entries.Count(e => e.StartsWith("contentFiles/any/net10.0/shaders/") && e.EndsWith(".spv")), Is.EqualTo(spirv.Length));
            Assert.That(entries, Does.Contain("lib/net10.0/VulkanAE.xml"), "the public API's documentation");
        }

        var app = Path.Combine(work, "app");
        Directory.CreateDirectory(app);
        foreach (var file in new[] { "LatentGrid.csproj", "Program.cs" })
            File.Copy(Path.Combine(root, "samples", "LatentGrid", file), Path.Combine(app, file));
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var version = Path.GetFileNameWithoutExtension(package)["VulkanAE.".Length..];
        var bin = Path.Combine(work, "bin");
        // Restored into a folder of its own, so the user's NuGet cache never holds this build of the package;
        // the cache is read in place as a fallback folder (copied, its packages took half a gigabyte a run).
        Dotnet(app, "build", Path.Combine(app, "LatentGrid.csproj"), "-c", "Release", "-o", bin, $"-p:VulkanAEVersion={version}",
            $"-p:RestoreSources={feed}", $"-p:RestoreFallbackFolders={cache}", $"-p:RestorePackagesPath={Path.Combine(work, "packages")}");
        Assert.That(Directory.GetFiles(Path.Combine(bin, "shaders"), "*.spv", SearchOption.AllDirectories), Has.Length.EqualTo(spirv.Length));

        var run = Path.Combine(work, "run");
        var options = new TrainingOptions(Model: "conv-vae", Epochs: 1, OutputDirectory: run);
        Directory.CreateDirectory(run);
        using (var model = options.Spec().Build(Gpu, maxRows: 4, options.Seed))
            RunDirectory.Save(run, model, options, epoch: 1, optimizerStep: 1, new Dictionary<string, JsonElement>(), history: []);
        var sample = Run(work, Path.Combine(bin, "LatentGrid.dll"), run, Path.Combine(work, "sample.png"));
        Assert.That(sample.ExitCode, Is.Zero, sample.Error);
        var cli = VaeProcess.Run(["latent-grid", run, "--out", Path.Combine(work, "cli.png")]);
        Assert.That(cli.ExitCode, Is.Zero, cli.Error);
        Assert.That(File.ReadAllBytes(Path.Combine(work, "sample.png")), Is.EqualTo(File.ReadAllBytes(Path.Combine(work, "cli.png"))));
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "VulkanAE.sln"))) return directory.FullName;
        Assert.Ignore("the repository is not above the tests (a test bundle): nothing to pack");
        return "";
    }

    private static void Dotnet(string directory, params string[] arguments)
    {
        var result = Run(directory, arguments);
        Assert.That(result.ExitCode, Is.Zero, $"dotnet {string.Join(" ", arguments)}:\n{result.Output}\n{result.Error}");
    }

    private static VaeProcess.Result Run(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // No MSBuild nodes or compiler server left running after the build, holding the redirected output open.
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["UseSharedCompilation"] = "false";
        start.Environment["VULKANAE_VALIDATION"] = "1";
        start.Environment["VULKANAE_CACHE"] = Directory.CreateTempSubdirectory("vae-cache").FullName;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5))) process.Kill(entireProcessTree: true);
        return new VaeProcess.Result(process.ExitCode, output.Result, error.Result);
    }
}
