using System.Text;
using VulkanAE.IO;
using VulkanAE.Training;

namespace VulkanAE.Tests.Robustness;

/// <summary>
/// A generation of run files is replaced all or none: the states a crash can leave (staged files
/// without a journal, a journal with some files renamed) are brought back to one generation.
/// </summary>
public class RunGenerationTests
{
    private static readonly string[] Files = ["metrics.csv", "model.safetensors", "checkpoint.safetensors"];
    private string _run = null!;

    [SetUp]
    public void CommitTheFirstGeneration()
    {
        _run = Directory.CreateTempSubdirectory("generation").FullName;
        RunGeneration.Commit(_run, Generation("epoch 1"));
    }

    private static (string, Action<Stream>)[] Generation(string content)
        => [.. Files.Select(f => (f, (Action<Stream>)(s => s.Write(Encoding.UTF8.GetBytes($"{f} {content}")))))];

    private string[] Contents() => [.. Files.Select(f => File.ReadAllText(Path.Combine(_run, f)))];

    private static string[] Expected(string content) => [.. Files.Select(f => $"{f} {content}")];

    private string[] FilesLeft() => [.. Directory.GetFiles(_run).Select(Path.GetFileName).Order()!];

    [Test]
    public void ACommitReplacesEveryFileAndLeavesNoJournal()
    {
        RunGeneration.Commit(_run, Generation("epoch 2"));
        Assert.That(Contents(), Is.EqualTo(Expected("epoch 2")));
        Assert.That(FilesLeft(), Is.EqualTo(Files.Order()));
    }

    [Test]
    public void StagedFilesWithoutAJournalAreRolledBack()
    {
        foreach (var (file, write) in Generation("epoch 2").Take(2)) RunFile.Stage(Path.Combine(_run, file), write);
        RunGeneration.Recover(_run);
        Assert.That(Contents(), Is.EqualTo(Expected("epoch 1")));
        Assert.That(FilesLeft(), Is.EqualTo(Files.Order()));
    }

    [Test]
    public void AJournalWithSomeFilesRenamedIsCarriedOut()
    {
        foreach (var (file, write) in Generation("epoch 2")) RunFile.Stage(Path.Combine(_run, file), write);
        RunFile.WriteAllText(Path.Combine(_run, RunGeneration.JournalFile), "[\"metrics.csv\",\"model.safetensors\",\"checkpoint.safetensors\"]");
        RunFile.Publish(Path.Combine(_run, Files[0]));
        RunGeneration.Recover(_run);
        Assert.That(Contents(), Is.EqualTo(Expected("epoch 2")));
        Assert.That(FilesLeft(), Is.EqualTo(Files.Order()));
    }

    [TestCase("not json")]
    [TestCase("[\"../elsewhere.csv\"]")]
    [TestCase("[\"\"]")]
    public void ADamagedJournalIsNamedAndNothingIsRenamed(string journal)
    {
        File.WriteAllText(Path.Combine(_run, RunGeneration.JournalFile), journal);
        var error = Assert.Throws<UserInputException>(() => RunGeneration.Recover(_run))!;
        Assert.That(error.Message, Does.StartWith(Path.Combine(_run, RunGeneration.JournalFile)).And.Contain("list of file names"));
        Assert.That(Contents(), Is.EqualTo(Expected("epoch 1")));
    }
}
