using System.Diagnostics;
using System.Text.RegularExpressions;

namespace VulkanAE.Tests.Cli;

/// <summary>What `vae` prints and the exit codes it returns: 0 done, 1 a bug, 2 a usage error, 3 the environment, 130 Ctrl+C.</summary>
public partial class CliOutputTests
{
    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]")]
    private static partial Regex AnsiSequence();

    /// <summary>Select Graphic Rendition: colours and bold, what NO_COLOR forbids (cursor movement is not styling).</summary>
    [GeneratedRegex(@"\x1b\[[0-9;]*m")]
    private static partial Regex StyleSequence();

    private static string NewRun() => Path.Combine(Directory.CreateTempSubdirectory("cli-run").FullName, "run");

    [Test]
    public void AParseErrorPrintsTheErrorTheHintAndOneUsageLine()
    {
        var result = VaeProcess.Run(["train", "--epoch", "3"]);
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("error: Unrecognized command or argument '--epoch'").And.Contain("--epochs"));
        Assert.That(result.Error.Split('\n').Count(line => line.StartsWith("Usage: vae train [options]", StringComparison.Ordinal)), Is.EqualTo(1));
        Assert.That(result.Error + result.Output, Does.Not.Contain("--clip-grad"), "the full help stays behind --help");
    }

    [TestCase("--lr", "abc", "--lr expects a number, got 'abc'")]
    [TestCase("--epochs", "2.5", "--epochs expects a whole number, got '2.5'")]
    [TestCase("--val-split", "a tenth", "--val-split expects a number, got 'a tenth'")]
    public void AValueOfTheWrongTypeSaysWhatWasExpected(string option, string value, string message)
    {
        var result = VaeProcess.Run(["train", option, value]);
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain(message).And.Not.Contain("System."));
    }

    [Test]
    public void TheOldValidationSwitchAnswersWithItsNewName()
    {
        var result = VaeProcess.Run(["train", "--validation"]);
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("--vulkan-validation").And.Contain("--val-split"));
    }

    [Test]
    public void EarlyStoppingWithoutAValidationSplitIsAUsageError()
    {
        var result = VaeProcess.Run(["train", "--early-stop", "3", "--limit", "64", "--out", NewRun()]);
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("--early-stop").And.Contain("--val-split"));
    }

    [Test]
    public void PipedOutputIsOnePlainLinePerEpoch()
    {
        var result = VaeProcess.Run(["train", "--limit", "128", "--epochs", "2", "--batch", "64", "--no-tune", "--lr-schedule", "cosine", "--out", NewRun()]);
        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(AnsiSequence().IsMatch(result.Output), Is.False, "no ANSI codes in a log");
        var epochLines = result.Output.Split('\n').Where(line => line.StartsWith("epoch ", StringComparison.Ordinal)).ToArray();
        Assert.That(epochLines, Has.Length.EqualTo(2));
        Assert.That(epochLines[0], Does.StartWith("epoch 1/2: train loss").And.Contain(", lr ").And.Contain("left"));
        Assert.That(result.Output, Does.Contain("2 epochs of 2 steps"));
    }

    [Test]
    public void OneEpochIsSingular()
    {
        var result = VaeProcess.Run(["train", "--limit", "64", "--epochs", "1", "--batch", "64", "--no-tune", "--out", NewRun()]);
        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Output, Does.Contain("1 epoch of 1 step:").Or.Contain("1 epoch of 1 step\n"));
    }

    [Test]
    public void NoColorTakesTheStylesOffATerminal()
    {
        // `script` runs the command on a pseudo-terminal, where the live progress display is drawn.
        Assume.That(File.Exists("/usr/bin/script"), "needs util-linux's script for a terminal");
        string vae = Path.Combine(AppContext.BaseDirectory, "vae.dll");
        var start = new ProcessStartInfo("/usr/bin/script") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-qec", $"dotnet {vae} train --limit 128 --epochs 1 --batch 64 --no-tune --out {NewRun()}", "/dev/null" })
            start.ArgumentList.Add(argument);
        start.Environment["NO_COLOR"] = "1";
        start.Environment["VULKANAE_CACHE"] = Directory.CreateTempSubdirectory("vae-cache").FullName;
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, output);
        Assert.That(output, Does.Contain("Run written to"));
        Assert.That(StyleSequence().Matches(output).Select(m => m.Value), Is.Empty);
    }

    [Test]
    public void CtrlCStopsWithACheckpointAndExitCode130()
    {
        // A shell that starts a command in the background without job control makes it ignore SIGINT,
        // and its children inherit that: Ctrl+C cannot reach the run then.
        Assume.That(SigIntIgnored(), Is.False, "SIGINT is ignored in this process (started in the background by a shell without job control)");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "vae.dll"), "train", "--limit", "20000", "--epochs", "50", "--no-tune", "--out", NewRun() })
            start.ArgumentList.Add(argument);
        start.Environment["VULKANAE_CACHE"] = Directory.CreateTempSubdirectory("vae-cache").FullName;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string? line;
        while ((line = process.StandardOutput.ReadLine()) is not null && !line.StartsWith("Training ", StringComparison.Ordinal)) { }
        Assert.That(line, Is.Not.Null, "the run should have started");
        using (var kill = Process.Start("kill", ["-INT", process.Id.ToString()])) kill.WaitForExit();
        string rest = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2))) process.Kill(entireProcessTree: true);
        Assert.That(process.ExitCode, Is.EqualTo(130), error.Result);
        Assert.That(rest, Does.Contain("checkpoint saved"));
    }

    /// <summary>Whether SIGINT (signal 2) is in this process's ignored set, /proc/self/status's SigIgn mask.</summary>
    private static bool SigIntIgnored()
    {
        var mask = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return mask is not null && (Convert.ToUInt64(mask["SigIgn:".Length..].Trim(), 16) & (1UL << 1)) != 0;
    }

    [Test]
    public void CompareTrainsOnTheSameDatasetAsTrainByDefault()
    {
        var compare = VaeProcess.Run(["compare", "--help"]).Output;
        var train = VaeProcess.Run(["train", "--help"]).Output;
        string Default(string help) => Regex.Match(help, @"--dataset[^\n]*\[default: ([^\]]+)\]").Groups[1].Value;
        Assert.That(Default(compare), Is.EqualTo(Default(train)).And.EqualTo("mnist"));
    }
}
