using VulkanAE.Data;

namespace VulkanAE.Tests.Data;

[TestFixture]
[NonParallelizable] // Changes the process-wide VULKANAE_DATA variable.
public class DataDirectoryTests
{
    private string? savedVariable;

    [SetUp]
    public void SaveVariable() => savedVariable = Environment.GetEnvironmentVariable(DataDirectory.EnvironmentVariable);

    [TearDown]
    public void RestoreVariable() => Environment.SetEnvironmentVariable(DataDirectory.EnvironmentVariable, savedVariable);

    [Test]
    public void Locate_VariableSet_UsesItEvenWhenTheFolderIsMissing()
    {
        Environment.SetEnvironmentVariable(DataDirectory.EnvironmentVariable, "/somewhere/data");

        Assert.That(DataDirectory.Locate("mnist"), Is.EqualTo("/somewhere/data/mnist"));
    }

    [Test]
    public void Locate_VariableUnset_FindsTheRepositoryDataFolderAboveTheTestBinaries()
    {
        Environment.SetEnvironmentVariable(DataDirectory.EnvironmentVariable, null);

        string found = DataDirectory.Locate(Mnist.DigitsFolder);

        Assert.That(Path.Combine(found, "..", "..", "VulkanAE.sln"), Does.Exist);
    }

    [Test]
    public void Locate_NoSuchDataSet_SaysHowToProvideIt()
    {
        Environment.SetEnvironmentVariable(DataDirectory.EnvironmentVariable, null);

        var error = Assert.Throws<DatasetException>(() => DataDirectory.Locate("no-such-dataset"))!;

        Assert.That(error.Message, Does.StartWith("data/no-such-dataset: not found in "));
        Assert.That(error.Message, Does.Contain("set VULKANAE_DATA to the folder that holds no-such-dataset/"));
    }
}
