namespace VulkanAE.Tests;

/// <summary>
/// Every temporary folder of a test run lies under one folder, removed when the run ends: tests take
/// theirs from Directory.CreateTempSubdirectory, and the `vae` and `dotnet` processes they start
/// inherit TMPDIR. Left behind, a few hundred runs' folders filled the disk and failed CI.
/// </summary>
[SetUpFixture]
public sealed class TemporaryFolderPerRun
{
    private string? _previous;
    private string _root = "";

    [OneTimeSetUp]
    public void Redirect()
    {
        _previous = Environment.GetEnvironmentVariable("TMPDIR");
        _root = Directory.CreateTempSubdirectory("vulkanae-tests-").FullName;
        Environment.SetEnvironmentVariable("TMPDIR", _root);
    }

    [OneTimeTearDown]
    public void Remove()
    {
        Environment.SetEnvironmentVariable("TMPDIR", _previous);
        Directory.Delete(_root, recursive: true);
    }
}
