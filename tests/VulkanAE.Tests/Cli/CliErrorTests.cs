namespace VulkanAE.Tests.Cli;

/// <summary>Every mistake a user can make ends with a message naming the fix and a non-zero exit code.</summary>
public class CliErrorTests
{
    [Test]
    public void UnknownModelListsTheModels()
    {
        var result = VaeProcess.Run(["train", "--model", "resnet"]);
        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(result.Error + result.Output, Does.Contain("resnet").And.Contain("fc-ae"));
    }

    [Test]
    public void UnknownOptionIsRejectedWithTheOptionsListed()
    {
        var result = VaeProcess.Run(["train", "--epoch", "3"]);
        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(result.Error + result.Output, Does.Contain("--epoch").And.Contain("--epochs"));
    }

    [Test]
    public void AligningMnistIsRefusedNamingTheOption()
    {
        var result = VaeProcess.Run(["train", "--align", "foreground", "--epochs", "1", "--limit", "64",
            "--out", Path.Combine(Directory.CreateTempSubdirectory("align-mnist").FullName, "run")]);
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("--align").And.Contain("mnist"));
    }

    [Test]
    public void MissingDatasetSaysHowToGetIt()
    {
        var empty = Directory.CreateTempSubdirectory("no-data").FullName;
        var result = VaeProcess.Run(["train", "--out", Path.Combine(empty, "run")], new Dictionary<string, string> { ["VULKANAE_DATA"] = empty });
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("tools/setup.sh"));
    }

    [Test]
    public void CorruptDatasetNamesTheFile()
    {
        var data = Directory.CreateTempSubdirectory("corrupt-data").FullName;
        var mnist = Directory.CreateDirectory(Path.Combine(data, "mnist")).FullName;
        foreach (var name in new[] { "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte" })
            File.WriteAllBytes(Path.Combine(mnist, name), [0, 0, 8, 3, 0, 0]); // a header cut short
        var result = VaeProcess.Run(["train", "--out", Path.Combine(data, "run")], new Dictionary<string, string> { ["VULKANAE_DATA"] = data });
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("train-images-idx3-ubyte"));
    }

    [Test]
    public void NoVulkanDeviceSaysWhatToInstall()
    {
        var result = VaeProcess.Run(["devices"], new Dictionary<string, string> { ["VK_DRIVER_FILES"] = "/nonexistent/icd.json", ["VK_ICD_FILENAMES"] = "/nonexistent/icd.json" });
        Assert.That(result.ExitCode, Is.EqualTo(3));
        Assert.That(result.Error, Does.Contain("mesa-vulkan-drivers"));
    }

    [Test]
    public void DevicesListsLavapipe()
    {
        var result = VaeProcess.Run(["devices"]);
        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Output, Does.Contain("llvmpipe").Or.Contain("GPU"));
    }

    [Test]
    public void HelpExplainsTrain()
    {
        var result = VaeProcess.Run(["train", "--help"]);
        Assert.That(result.ExitCode, Is.Zero);
        Assert.That(result.Output, Does.Contain("--epochs").And.Contain("--lr").And.Contain("fc-ae").And.Contain("--clip-grad").And.Contain("clip_grad_norm_"));
    }

    [Test]
    public void ANonPositiveClipNormNamesTheOption()
    {
        var result = VaeProcess.Run(["train", "--clip-grad", "0", "--out", Path.Combine(Directory.CreateTempSubdirectory("clip").FullName, "run")]);
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("--clip-grad").And.Contain("positive"));
    }
}
