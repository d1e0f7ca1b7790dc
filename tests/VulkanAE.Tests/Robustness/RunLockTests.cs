using VulkanAE.Tests.Cli;
using VulkanAE.Training;

namespace VulkanAE.Tests.Robustness;

/// <summary>One training per run directory: a second is refused with the holder's PID, and the lock goes with its holder.</summary>
public class RunLockTests
{
    private static string[] Train(string run) => ["train", "--model", "linear-ae", "--epochs", "1", "--limit", "16", "--batch", "8", "--no-tune", "--out", run];

    [Test]
    public void ALockIsHeldUntilItsHolderLetsGo()
    {
        var run = Directory.CreateTempSubdirectory("locked").FullName;
        using (RunLock.Acquire(run))
            Assert.That(RunLock.TryAcquire(run), Is.Null);
        using var again = RunLock.TryAcquire(run);
        Assert.That(again, Is.Not.Null);
    }

    [Test]
    public void ASecondTrainingOrResumeOnTheSameOutIsRefusedNamingTheHolder()
    {
        var run = Directory.CreateTempSubdirectory("locked").FullName;
        using (RunLock.Acquire(run))
        {
            foreach (var arguments in new[] { Train(run), ["train", "--resume", run] })
            {
                var refused = VaeProcess.Run(arguments);
                Assert.That(refused.ExitCode, Is.EqualTo(2), refused.Error);
                Assert.That(refused.Error, Does.StartWith("error: ").And.Contain(run).And.Contain($"process {Environment.ProcessId}").And.Not.Contain("   at "));
            }
            Assert.That(Directory.GetFiles(run).Select(Path.GetFileName), Is.EqualTo(new[] { RunLock.LockFile }), "the refused runs wrote nothing");
        }
        var trained = VaeProcess.Run(Train(run));
        Assert.That(trained.ExitCode, Is.Zero, trained.Error);
    }
}
