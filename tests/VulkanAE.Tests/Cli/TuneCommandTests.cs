namespace VulkanAE.Tests.Cli;

/// <summary>`vae tune` and the tuning of `vae train`, as a user runs them, each with a kernel-choice cache of its own.</summary>
public class TuneCommandTests
{
    private static Dictionary<string, string> OwnCache() => new() { ["VULKANAE_CACHE"] = Directory.CreateTempSubdirectory("vae-cache").FullName };

    private static string[] Train(string directory, params string[] more) =>
        ["train", "--model", "linear-ae", "--batch", "64", "--limit", "256", "--epochs", "1", "--out", directory, .. more];

    [Test]
    public void ASecondTrainingRunStartsWithoutTuning()
    {
        var cache = OwnCache();
        var first = VaeProcess.Run(Train(Directory.CreateTempSubdirectory("first").FullName, "--tune-seconds", "600"), cache);
        Assert.That(first.ExitCode, Is.Zero, first.Output + first.Error);
        Assert.That(first.Output, Does.Match(@"kernel choices: 0 from the cache, \d+ tuned \(variants\) in"));
        Assert.That(first.Output, Does.Not.Contain("keep the defaults"));

        var second = VaeProcess.Run(Train(Directory.CreateTempSubdirectory("second").FullName), cache);
        Assert.That(second.ExitCode, Is.Zero, second.Output + second.Error);
        Assert.That(second.Output, Does.Match(@"kernel choices: all \d+ from the cache"));
    }

    [Test]
    public void TunePrintsEveryCandidateAndFillsTheCacheTrainReads()
    {
        var cache = OwnCache();
        var tune = VaeProcess.Run(["tune", "--model", "linear-ae", "--batch", "64"], cache);
        Assert.That(tune.ExitCode, Is.Zero, tune.Output + tune.Error);
        Assert.That(tune.Output, Does.Contain("matmul").And.Contain("64x16x784 tA0 tB1").And.Contain("default").And.Contain("chosen"));
        Assert.That(tune.Output, Does.Match(@"7 of 7 ops tuned"));
        Assert.That(Directory.GetFiles(cache["VULKANAE_CACHE"], "kernels-*.json"), Has.Length.EqualTo(1));

        // The same shapes, at a smaller test set whose batches divide it: nothing left to tune.
        var train = VaeProcess.Run(Train(Directory.CreateTempSubdirectory("after-tune").FullName), cache);
        Assert.That(train.ExitCode, Is.Zero, train.Output + train.Error);
        Assert.That(train.Output, Does.Match(@"kernel choices: all \d+ from the cache"));
    }

    [Test]
    public void ABadBudgetIsNamed()
    {
        foreach (var (arguments, option) in new[]
        {
            (new[] { "tune", "--budget", "0" }, "--budget"),
            (Train(Directory.CreateTempSubdirectory("bad-budget").FullName, "--tune-seconds", "-1"), "--tune-seconds"),
        })
        {
            var result = VaeProcess.Run(arguments);
            Assert.That(result.ExitCode, Is.EqualTo(2), result.Output + result.Error);
            Assert.That(result.Error, Does.Contain(option));
        }
    }
}
