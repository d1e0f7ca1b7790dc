using System.Text.Json;
using System.Text.RegularExpressions;
using VulkanAE.Core;
using VulkanAE.Kernels.Dense;
using VulkanAE.Training;
using VulkanAE.Tuning;

namespace VulkanAE.Tests.Training;

/// <summary>
/// A run's kernel choices: recorded in its directory and checkpoint, taken from the cache by a new
/// run, and repeated by a resumed one whatever the cache says by then.
/// </summary>
public class KernelChoiceRunTests
{
    private static TrainingOptions SmallVae(string directory, string cache) => new(
        Model: "fc-vae", Dataset: "mnist", Epochs: 2, BatchSize: 64, LearningRate: 3e-3f, OutputDirectory: directory, Limit: 640,
        VulkanValidation: true, Hidden: [64], Latent: 4, TuneSeconds: 0, KernelCache: cache);

    private static Dictionary<string, JsonElement> RecordedChoices(string directory)
        => JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(File.ReadAllText(Path.Combine(directory, RunDirectory.KernelChoicesFile)))!;

    /// <summary>The op behind a key such as "matmul 64x64x784 tA0 tB1".</summary>
    private static MatmulTunable MatmulOp(string key)
    {
        var match = Regex.Match(key, @"^matmul (\d+)x(\d+)x(\d+) tA([01]) tB([01])$");
        Assert.That(match.Success, $"an fc model's ops are matmuls: {key}");
        int Number(int group) => int.Parse(match.Groups[group].Value);
        return new MatmulTunable(Number(1), Number(2), Number(3), Number(4) == 1, Number(5) == 1);
    }

    [Test]
    public void AResumedRunRepeatsItsRecordedChoicesWhateverTheCacheSays()
    {
        var cacheFolder = Directory.CreateTempSubdirectory("kernel-cache").FullName;
        var whole = Directory.CreateTempSubdirectory("whole").FullName;
        var pieces = Directory.CreateTempSubdirectory("pieces").FullName;
        var options = SmallVae(whole, cacheFolder);
        TrainingRun.Execute(options, new QuietObserver());
        var stopper = new QuietObserver(stopInEpoch: 2, stopAtStep: 1);
        TrainingRun.Execute(options with { OutputDirectory = pieces }, stopper);
        Assert.That(stopper.Notes, Has.Some.StartsWith("kernel choices: 0 from the cache, 0 tuned"), "a zero budget tunes nothing");

        var recorded = RecordedChoices(pieces);
        Assert.That(recorded.Keys, Has.Member("matmul 64x64x784 tA0 tB1"), "the first layer's forward product");
        Assert.That(RunDirectory.Load(pieces).KernelChoices.Keys, Is.EquivalentTo(recorded.Keys), "the checkpoint holds them too");

        // The cache now says: the naive kernel for every op of the run.
        using (var gpu = new Gpu(new GpuOptions()))
        {
            var ops = recorded.Keys.Select(MatmulOp).ToArray();
            new KernelChoiceCache(cacheFolder, gpu.Info, _ => { }).Store(ops.Select(op =>
                ((TunableOp)op, op.ToJson(new MatmulChoice(MatmulVariant.Naive, MatmulKernels.DefaultTiling(gpu.Info, MatmulVariant.Naive))))).ToArray());
        }

        var resumed = new QuietObserver();
        TrainingRun.Resume(pieces, epochs: null, resumed);
        Assert.That(resumed.Notes, Has.Member($"kernel choices: the {recorded.Count} the run recorded"));
        Assert.That(RecordedChoices(pieces).ToDictionary(c => c.Key, c => c.Value.GetRawText()),
            Is.EquivalentTo(recorded.ToDictionary(c => c.Key, c => c.Value.GetRawText())));
        Assert.That(TrainingRunTests.MetricColumns(pieces, 7), Is.EqualTo(TrainingRunTests.MetricColumns(whole, 7)));

        // A new run does follow the cache.
        var fresh = Directory.CreateTempSubdirectory("fresh").FullName;
        var freshObserver = new QuietObserver();
        TrainingRun.Execute(options with { OutputDirectory = fresh, Epochs = 1 }, freshObserver);
        Assert.That(freshObserver.Notes, Has.Some.Match(@"^kernel choices: all \d+ from the cache$"), "the training step's ops (the pictures' come after)");
        Assert.That(RecordedChoices(fresh).Where(c => recorded.ContainsKey(c.Key)).Select(c => MatmulTunable.FromJson(c.Value)?.Variant),
            Has.All.EqualTo(MatmulVariant.Naive));
    }

    [Test]
    public void WithoutTuningARunKeepsTheBuiltInDefaultsAndReadsNoCache()
    {
        var cacheFolder = Directory.CreateTempSubdirectory("kernel-cache").FullName;
        var directory = Directory.CreateTempSubdirectory("defaults").FullName;
        using var gpu = new Gpu(new GpuOptions());
        string cacheFile = new KernelChoiceCache(cacheFolder, gpu.Info, _ => { }).FilePath;
        File.WriteAllText(cacheFile, "{"); // reading it would warn
        var observer = new QuietObserver();
        TrainingRun.Execute(SmallVae(directory, cacheFolder) with { Epochs = 1, TuneSeconds = null }, observer);
        Assert.That(observer.Notes, Is.EqualTo(new[] { "kernel choices: the built-in defaults" }));
        foreach (var (key, choice) in RecordedChoices(directory))
            Assert.That(MatmulTunable.FromJson(choice), Is.EqualTo(MatmulOp(key).Default(gpu.Info)), key);
        Assert.That(File.ReadAllText(cacheFile), Is.EqualTo("{"), "nothing written to the cache");
    }
}
