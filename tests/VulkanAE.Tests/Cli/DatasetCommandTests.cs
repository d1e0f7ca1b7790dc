using VulkanAE.IO;

namespace VulkanAE.Tests.Cli;

/// <summary>`vae dataset pack` and `vae dataset info` as a user runs them, with a cache folder of their own.</summary>
public class DatasetCommandTests
{
    [Test]
    public void PackThenInfo_DescribesTheFolderFromItsPackedFile()
    {
        string folder = Directory.CreateTempSubdirectory("vae-dataset").FullName;
        // Six flat images per class: the mean of all twelve is the mean of the two colours.
        foreach (var (className, rgb) in new[] { ("apples", new byte[] { 10, 20, 30 }), ("pears", new byte[] { 30, 40, 51 }) })
        {
            Directory.CreateDirectory(Path.Combine(folder, className));
            for (int i = 0; i < 6; i++)
                Png.Write(Path.Combine(folder, className, $"{i}.png"), new RasterImage(8, 8, 3, Enumerable.Repeat(rgb, 64).SelectMany(p => p).ToArray()));
        }
        var cache = new Dictionary<string, string> { ["VULKANAE_CACHE"] = Directory.CreateTempSubdirectory("vae-cache").FullName };

        var pack = VaeProcess.Run(["dataset", "pack", folder, "--image-size", "8"], cache);
        Assert.That(pack.ExitCode, Is.Zero, pack.Output + pack.Error);
        Assert.That(pack.Output, Does.Contain("decoding 12 images").And.Contain("11 training and 1 test images of 3x8x8"));
        Assert.That(Directory.GetFiles(Path.Combine(cache["VULKANAE_CACHE"], "datasets"), "*.vaepack"), Has.Length.EqualTo(1));

        string mean = Path.Combine(folder, "..", $"{Path.GetFileName(folder)}-mean.png");
        var info = VaeProcess.Run(["dataset", "info", folder, "--image-size", "8", "--mean", mean], cache);
        Assert.That(info.ExitCode, Is.Zero, info.Output + info.Error);
        Assert.That(info.Output, Does.Not.Contain("decoding"), "info maps the packed file");
        Assert.That(info.Output, Does.Contain("12 (11 training, 1 test)").And.Contain("3x8x8").And.Contain("2: apples 6, pears 6"));
        var meanImage = Png.Read(mean);
        Assert.That(meanImage.Pixels.Chunk(3), Has.All.EqualTo(new byte[] { 20, 30, 41 }), "(51 + 30) / 2 = 40.5 rounds up");
    }

    [Test]
    public void InfoOnSomethingThatIsNoDataset_NamesIt()
    {
        var result = VaeProcess.Run(["dataset", "info", "/no/such/folder"]);
        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output + result.Error);
        Assert.That(result.Error, Does.Contain("/no/such/folder: no such data set"));
    }
}
