using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using VulkanAE.IO;
using VulkanAE.Plots;
using VulkanAE.Tests.Cli;
using VulkanAE.Training;

namespace VulkanAE.Tests.Robustness;

/// <summary>
/// SQLite's crash test, for a run directory: a two-epoch training (a child process) is killed with
/// SIGKILL at every fault point of the run-file writer in turn (half-way through each file's
/// temporary copy, and just before each rename), until a run survives them all and becomes the
/// reference. After every kill, every file parses; once the next start's recovery has run, the
/// generation is one epoch's; and --resume ends with the reference's numbers and weights, bit for bit.
/// </summary>
public class KillAtEveryWriteTests
{
    private const int Epochs = 2;

    // Epoch 0 commits the checkpoint, model, metrics, run description and kernel choices; each epoch
    // then also the 5 picture files of a plain autoencoder (2 charts as PNG + SVG, the pixel table).
    // Each file and the journal is one fault point when written and one when renamed.
    private const int GenerationFiles = 5;
    private const int PictureFiles = 5;
    private const int FaultPoints = 2 * (GenerationFiles + 1) + Epochs * 2 * (GenerationFiles + PictureFiles + 1);

    /// <summary>The epoch of a run killed before its first checkpoint was committed: it is started again, not resumed.</summary>
    private const int NotStarted = -1;

    private static string[] Train(string run, int epochs = Epochs) =>
        ["train", "--model", "linear-ae", "--latent", "2", "--epochs", epochs.ToString(CultureInfo.InvariantCulture),
         "--limit", "16", "--batch", "8", "--no-tune", "--out", run];

    [Test]
    public void AKillAtAnyWriteLosesNothing()
    {
        var killed = new List<(int Point, string Run, int Epoch, string Pictures)>();
        string reference;
        for (int point = 1; ; point++)
        {
            Assert.That(point, Is.LessThanOrEqualTo(FaultPoints + 1), "more fault points than the run has writes and renames");
            var run = Path.Combine(Directory.CreateTempSubdirectory($"kill-{point}-").FullName, "run");
            var result = VaeProcess.Run(Train(run), new Dictionary<string, string> { [WriteFaults.Variable] = point.ToString(CultureInfo.InvariantCulture) });
            if (result.ExitCode == 0)
            {
                reference = run;
                break;
            }
            Assert.That(result.ExitCode, Is.EqualTo(137), $"point {point}: {result.Error}");
            Assert.That(result.Error, Does.Contain($"killed at fault point {point}"));
            AssertEveryFileParses(run);
            var (epoch, pictures) = Recovered(run);
            killed.Add((point, run, epoch, pictures));
        }
        Assert.That(killed, Has.Count.EqualTo(FaultPoints));
        Assert.That(killed.Select(k => k.Epoch).Distinct().Order(), Is.EqualTo(Enumerable.Range(NotStarted, Epochs + 2)), "kills leave runs at every epoch");
        AssertEveryFileParses(reference);
        foreach (var generation in killed.GroupBy(k => k.Epoch))
            Assert.That(generation.Select(k => k.Pictures).Distinct().Count(), Is.EqualTo(1),
                $"the pictures of every run recovered at epoch {generation.Key} are that epoch's (points {string.Join(", ", generation.Select(k => k.Point))})");
        Assert.That(killed.Last().Pictures, Is.EqualTo(Recovered(reference).Pictures));

        foreach (var (point, run, epoch, _) in killed)
        {
            if (epoch < Epochs)
            {
                var resumed = VaeProcess.Run(epoch == NotStarted ? Train(run) : ["train", "--resume", run]);
                Assert.That(resumed.ExitCode, Is.Zero, $"resuming the run killed at point {point}: {resumed.Error}");
            }
            else
            {
                RunGeneration.Recover(run);
            }
            AssertEveryFileParses(run);
            Assert.That(Directory.GetFiles(run).Where(f => f.EndsWith(RunFile.TemporarySuffix) || f.EndsWith(RunGeneration.JournalFile)), Is.Empty,
                $"point {point}: leftovers removed");
            Assert.That(Losses(run), Is.EqualTo(Losses(reference)), $"point {point}: the losses of every epoch");
            Assert.That(File.ReadAllBytes(Path.Combine(run, RunDirectory.ReconstructionTableFile)),
                Is.EqualTo(File.ReadAllBytes(Path.Combine(reference, RunDirectory.ReconstructionTableFile))), $"point {point}: the reconstructions");
            var tensors = Safetensors.Read(Path.Combine(run, RunDirectory.CheckpointFile)).Tensors;
            foreach (var (name, expected) in Safetensors.Read(Path.Combine(reference, RunDirectory.CheckpointFile)).Tensors)
                Assert.That(tensors[name].Data, Is.EqualTo(expected.Data), $"point {point}: checkpoint tensor {name}");
        }
    }

    [Test]
    public void ARunKilledInItsFirstEpochAfterOverwriteResumes()
    {
        var reference = Path.Combine(Directory.CreateTempSubdirectory("overwrite-reference-").FullName, "run");
        Assert.That(VaeProcess.Run(Train(reference)).ExitCode, Is.Zero);
        var run = Path.Combine(Directory.CreateTempSubdirectory("overwrite-").FullName, "run");
        Assert.That(VaeProcess.Run(Train(run, epochs: 1)).ExitCode, Is.Zero, "an old run to overwrite");

        // The first fault point after the new run's epoch-0 generation: the first file of epoch 1.
        const int firstWriteOfEpoch1 = 2 * (GenerationFiles + 1) + 1;
        var killed = VaeProcess.Run([.. Train(run), "--overwrite"],
            new Dictionary<string, string> { [WriteFaults.Variable] = firstWriteOfEpoch1.ToString(CultureInfo.InvariantCulture) });
        Assert.That(killed.ExitCode, Is.EqualTo(137), killed.Error);
        Assert.That(Recovered(run).Epoch, Is.Zero, "the new run's epoch-0 checkpoint survives: --overwrite cleared the folder before writing it");

        var resumed = VaeProcess.Run(["train", "--resume", run]);
        Assert.That(resumed.ExitCode, Is.Zero, resumed.Error);
        Assert.That(Losses(run), Is.EqualTo(Losses(reference)), "the resumed run repeats an uninterrupted one");
    }

    /// <summary>
    /// The epoch the run stands at once the next start has recovered it (done here on a copy, so the
    /// resume does its own), after checking that the checkpoint, weights and metrics agree on it, and
    /// its pictures (the pixel table and loss curve, empty before the first epoch), which the caller
    /// compares between runs recovered at the same epoch.
    /// </summary>
    private static (int Epoch, string Pictures) Recovered(string run)
    {
        var copy = Directory.CreateTempSubdirectory("recovered").FullName;
        foreach (var file in Directory.GetFiles(run)) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        RunGeneration.Recover(copy);
        if (!File.Exists(Path.Combine(copy, RunDirectory.CheckpointFile)))
        {
            Assert.That(Directory.GetFiles(copy).Select(Path.GetFileName), Is.EqualTo(new[] { RunLock.LockFile }), $"{run}: killed before its first checkpoint, the run has not started");
            return (NotStarted, "");
        }
        var checkpoint = RunDirectory.Load(copy);
        var weights = Safetensors.Read(Path.Combine(copy, RunDirectory.WeightsFile));
        Assert.That(weights.Metadata[CheckpointMetadata.EpochKey], Is.EqualTo(checkpoint.Epoch.ToString(CultureInfo.InvariantCulture)), run);
        Assert.That(EpochMetrics.ReadCsv(Path.Combine(copy, RunDirectory.MetricsFile)), Has.Count.EqualTo(checkpoint.Epoch), run);
        foreach (var (name, tensor) in weights.Tensors)
            Assert.That(tensor.Data, Is.EqualTo(checkpoint.Content.Tensors[name].Data), $"{run}: {name} of the model is the checkpoint's");
        var pictures = new[] { RunDirectory.ReconstructionTableFile, Chart.SvgPath(RunDirectory.LossCurveFile) }.Select(f => Path.Combine(copy, f)).ToArray();
        Assert.That(pictures.Select(File.Exists), Is.All.EqualTo(checkpoint.Epoch > 0), $"{run}: pictures from the first epoch on");
        return (checkpoint.Epoch, string.Concat(pictures.Where(File.Exists).Select(File.ReadAllText)));
    }

    /// <summary>Every file of the run is whole: each format's own reader takes it; temporary leftovers and a journal aside.</summary>
    private static void AssertEveryFileParses(string run)
    {
        foreach (var path in Directory.GetFiles(run))
        {
            var name = Path.GetFileName(path);
            if (name.EndsWith(RunFile.TemporarySuffix, StringComparison.Ordinal)) continue;
            switch (Path.GetExtension(name))
            {
                case ".safetensors":
                    var content = Safetensors.Read(path);
                    if (name == RunDirectory.CheckpointFile) CheckpointMetadata.Read(path, content.Metadata);
                    break;
                case ".png":
                    Png.Read(path);
                    break;
                case ".svg":
                    XDocument.Load(path);
                    break;
                case ".lock":
                    Assert.That(int.TryParse(File.ReadAllText(path), out _), path);
                    break;
                case ".yaml" when name == RunDirectory.DescriptionFile:
                    RunDescription.Read(path, run);
                    break;
                case ".json":
                    JsonDocument.Parse(File.ReadAllText(path)).Dispose();
                    break;
                case ".csv" when name == RunDirectory.MetricsFile:
                    EpochMetrics.ReadCsv(path);
                    break;
                case ".csv" when name == RunDirectory.ReconstructionTableFile:
                    var lines = File.ReadAllLines(path);
                    Assert.That(lines[0], Is.EqualTo("image,pixel,original,reconstructed"), path);
                    Assert.That(lines.Skip(1).All(l => l.Split(',') is { Length: 4 } f && f.All(v => double.TryParse(v, CultureInfo.InvariantCulture, out _))), path);
                    break;
                default:
                    Assert.Fail($"{path}: a file the run does not write");
                    break;
            }
        }
    }

    /// <summary>Epoch, train and test loss of every row of metrics.csv (the times differ between runs).</summary>
    private static string[] Losses(string run)
        => [.. File.ReadAllLines(Path.Combine(run, RunDirectory.MetricsFile)).Select(l => string.Join(",", l.Split(',').Take(3)))];
}
