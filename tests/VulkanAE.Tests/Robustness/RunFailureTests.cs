using VulkanAE.IO;
using VulkanAE.Tests.Cli;
using VulkanAE.Training;

namespace VulkanAE.Tests.Robustness;

/// <summary>
/// What a user's disk can do to a run: a --out that is a file or lies under one, a folder without
/// write permission, a full disk (injected into the writer: no small file system can be mounted
/// here), a run that diverges. Each ends with one line naming the path or the option and the cause,
/// a non-zero exit, and what was saved before left as it was.
/// </summary>
public class RunFailureTests
{
    private static string[] Train(string run, int epochs = 1) =>
        ["train", "--model", "linear-ae", "--epochs", epochs.ToString(), "--limit", "16", "--batch", "8", "--no-tune", "--out", run];

    private static void AssertCleanError(VaeProcess.Result result, int exitCode, params string[] named)
    {
        Assert.That(result.ExitCode, Is.EqualTo(exitCode), result.Error);
        Assert.That(result.Error, Does.StartWith("error: ").And.Not.Contain("   at "));
        foreach (var name in named) Assert.That(result.Error, Does.Contain(name));
    }

    /// <summary>Every file of <paramref name="run"/> but the lock, by name, with its bytes.</summary>
    private static Dictionary<string, byte[]> Contents(string run) => Directory.GetFiles(run)
        .Where(f => Path.GetFileName(f) != RunLock.LockFile).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);

    [Test]
    public void AnOutThatIsAFileOrUnderOneIsNamed()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("out-file").FullName, "notes.txt");
        File.WriteAllText(file, "keep me");
        AssertCleanError(VaeProcess.Run(Train(file)), 2, $"{file} is a file, not a folder", "--out");
        AssertCleanError(VaeProcess.Run(Train(Path.Combine(file, "run"))), 2, $"{file} is a file, not a folder");
        Assert.That(File.ReadAllText(file), Is.EqualTo("keep me"));
    }

    [Test]
    public void AFolderWithoutWritePermissionIsNamed()
    {
        Assume.That(!OperatingSystem.IsWindows() && Environment.UserName != "root", "root writes through permissions; the file cases cover root");
        var folder = Directory.CreateTempSubdirectory("read-only").FullName;
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        AssertCleanError(VaeProcess.Run(Train(folder)), 2, folder, "permission");
    }

    [Test]
    public void AFullDiskNamesTheFileAndLeavesTheSavedEpochWhole()
    {
        var run = Path.Combine(Directory.CreateTempSubdirectory("full-disk").FullName, "run");
        Assert.That(VaeProcess.Run(Train(run)).ExitCode, Is.Zero);
        var saved = Contents(run);

        // The resumed epoch's third write is checkpoint.safetensors (after metrics.csv and model.safetensors).
        var full = VaeProcess.Run(["train", "--resume", run, "--epochs", "2"], new Dictionary<string, string> { [WriteFaults.Variable] = "3:full" });
        AssertCleanError(full, 2, Path.Combine(run, RunDirectory.CheckpointFile), "No space left on device", "free space");
        Assert.That(Contents(run), Is.EqualTo(saved), "the first epoch's files, byte for byte, and no temporary file left");
        Assert.That(VaeProcess.Run(["train", "--resume", run, "--epochs", "2"]).ExitCode, Is.Zero, "the run goes on once there is space");
    }

    [Test]
    public void ADivergedRunStopsWithExit3AndKeepsItsLastFiniteCheckpoint()
    {
        var run = Path.Combine(Directory.CreateTempSubdirectory("diverged").FullName, "run");
        // Adam's second moments overflow within the first epoch at this rate, while the loss stays finite.
        var diverged = VaeProcess.Run(["train", "--model", "fc-ae", "--lr", "1e6", "--epochs", "2", "--limit", "256", "--batch", "32", "--no-tune", "--out", run]);
        AssertCleanError(diverged, 3, "NaN or infinite", "--lr", "--clip-grad", "not saved");
        var checkpoint = RunDirectory.Load(run);
        Assert.That(checkpoint.Epoch, Is.Zero, "the step-0 checkpoint is the last finite one");
        Assert.That(checkpoint.Content.Tensors.Values.SelectMany(t => t.ToFloats()).All(float.IsFinite));
        Assert.That(EpochMetrics.ReadCsv(Path.Combine(run, RunDirectory.MetricsFile)), Is.Empty);
    }
}
