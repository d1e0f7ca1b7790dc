using VulkanAE.IO;

namespace VulkanAE.Tests.Robustness;

/// <summary>The one writer of run files: the old file or the new one, never a part, and a failure that names the path and the cause.</summary>
public class RunFileTests
{
    private string _folder = null!;

    [SetUp]
    public void MakeFolder() => _folder = Directory.CreateTempSubdirectory("run-file").FullName;

    private string FileNamed(string name) => Path.Combine(_folder, name);

    [Test]
    public void WritesTheContentAndLeavesNoTemporaryFile()
    {
        var path = FileNamed("metrics.csv");
        RunFile.WriteAllText(path, "old");
        RunFile.WriteAllText(path, "épocas,1\n");
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(System.Text.Encoding.UTF8.GetBytes("épocas,1\n")), "UTF-8, no byte order mark");
        Assert.That(Directory.GetFiles(_folder), Is.EqualTo(new[] { path }));
    }

    [Test]
    public void AWriteThatFailsMidwayLeavesTheOldFileWhole()
    {
        var path = FileNamed("samples.png");
        RunFile.WriteAllText(path, "the previous epoch's picture");
        var error = Assert.Throws<UserInputException>(() => RunFile.Write(path, stream =>
        {
            stream.Write(new byte[1000]);
            throw new IOException("No space left on device", Posix.NoSpaceLeft);
        }))!;
        Assert.That(error.Message, Does.StartWith(path).And.Contain("No space left on device").And.Contain("free space"));
        Assert.That(File.ReadAllText(path), Is.EqualTo("the previous epoch's picture"));
        Assert.That(Directory.GetFiles(_folder), Is.EqualTo(new[] { path }), "the temporary file is removed");
    }

    [Test]
    public void AFolderThatIsAFileIsNamed()
    {
        var notAFolder = FileNamed("out");
        File.WriteAllText(notAFolder, "a file where the run's folder should be");
        var path = Path.Combine(notAFolder, "model.safetensors");
        var error = Assert.Throws<UserInputException>(() => RunFile.WriteAllText(path, "x"))!;
        Assert.That(error.Message, Does.StartWith(path).And.Contain($"{notAFolder} is a file, not a folder"));
    }

    [Test]
    public void LeftoversOfAKilledWriterAreRemovedAndNothingElse()
    {
        File.WriteAllText(FileNamed("checkpoint.safetensors"), "kept");
        File.WriteAllText(FileNamed("checkpoint.safetensors" + RunFile.TemporarySuffix), "half");
        File.WriteAllText(FileNamed("loss_curve.svg" + RunFile.TemporarySuffix), "");
        RunFile.RemoveLeftovers(_folder);
        Assert.That(Directory.GetFiles(_folder).Select(Path.GetFileName), Is.EqualTo(new[] { "checkpoint.safetensors" }));
    }
}
