using VulkanAE.Data;
using VulkanAE.IO;

namespace VulkanAE.Tests.Data;

/// <summary>The packed dataset cache: decoded once, mapped after, rebuilt when the folder changes or the file is damaged.</summary>
[TestFixture]
public class DatasetCacheTests
{
    private string root = "";
    private string folder = "";
    private string cacheDirectory = "";
    private readonly List<string> notes = [];
    private int decodes;

    private static readonly ImageFolderOptions Options = new(ImageSize: 4, Channels: 1, Resize: false, TestFraction: 0.25);

    [SetUp]
    public void CreateFolders()
    {
        root = Directory.CreateTempSubdirectory("vulkanae-cache-test").FullName;
        folder = Path.Combine(root, "shapes");
        cacheDirectory = Path.Combine(root, "cache");
        notes.Clear();
        decodes = 0;
        for (int i = 0; i < 7; i++) Write($"{(i % 2 == 0 ? "even" : "odd")}/{i}.png", GrayPattern(i));
    }

    [TearDown]
    public void DeleteFolders() => Directory.Delete(root, recursive: true);

    private void Write(string relativePath, RasterImage image)
    {
        string path = Path.Combine(folder, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Png.Write(path, image);
    }

    // A gray image whose pixels all differ from those of another index.
    private static RasterImage GrayPattern(int index) =>
        new(4, 4, 1, Enumerable.Range(0, 16).Select(p => (byte)(index * 16 + p)).ToArray());

    private DatasetCache Cache(string? directory = null) => new(directory ?? cacheDirectory, notes.Add, count =>
    {
        decodes++;
        return () => { };
    });

    private static IEnumerable<byte[]> Images(ImageDataset dataset) =>
        Enumerable.Range(0, dataset.Count).Select(i => dataset.Image(i).ToArray());

    // Every image of the sets is the pattern its file name gives, with its folder's label, in the set its path says.
    private static void AssertHoldsTheFolder(ImageFolderDatasets sets, IReadOnlyList<int> indices)
    {
        Assert.That(sets.ClassNames, Is.EqualTo(new[] { "even", "odd" }));
        foreach (var (set, paths) in new[] { (sets.Train, sets.TrainPaths), (sets.Test, sets.TestPaths) })
        {
            Assert.That(paths, Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal));
            int[] index = paths.Select(p => int.Parse(Path.GetFileNameWithoutExtension(p))).ToArray();
            Assert.That(Images(set), Is.EqualTo(index.Select(i => GrayPattern(i).Pixels)), set.Name);
            Assert.That(set.Labels, Is.EqualTo(index.Select(i => i % 2)), set.Name);
        }
        Assert.That(sets.TrainPaths.Concat(sets.TestPaths).Select(p => int.Parse(Path.GetFileNameWithoutExtension(p))), Is.EquivalentTo(indices));
    }

    private static void AssertSameSets(ImageFolderDatasets actual, ImageFolderDatasets expected)
    {
        Assert.That(actual.Train.Name, Is.EqualTo(expected.Train.Name));
        Assert.That(actual.Test.Name, Is.EqualTo(expected.Test.Name));
        Assert.That(actual.TrainPaths, Is.EqualTo(expected.TrainPaths));
        Assert.That(actual.TestPaths, Is.EqualTo(expected.TestPaths));
        Assert.That(actual.Train.Pixels.ToArray(), Is.EqualTo(expected.Train.Pixels.ToArray()));
        Assert.That(actual.Test.Pixels.ToArray(), Is.EqualTo(expected.Test.Pixels.ToArray()));
        Assert.That(actual.Train.Labels, Is.EqualTo(expected.Train.Labels));
        Assert.That(actual.Test.Labels, Is.EqualTo(expected.Test.Labels));
    }

    [Test]
    public void FirstLoadPacksTheFolder_SecondMapsItWithoutDecoding()
    {
        var first = Cache().Load(folder, Options);
        Assert.That(decodes, Is.EqualTo(1));
        Assert.That(File.Exists(Cache().PathFor(folder, Options)));
        AssertHoldsTheFolder(first, Enumerable.Range(0, 7).ToArray());
        Assert.That(first.Test.Count, Is.EqualTo(2), "a quarter of 7, rounded");
        AssertSameSets(first, ImageFolder.Load(folder, Options));

        notes.Clear();
        var second = Cache().Load(folder, Options);
        Assert.That(decodes, Is.EqualTo(1), "the second load maps the packed file");
        Assert.That(notes, Is.Empty);
        AssertSameSets(second, first);
    }

    [Test]
    public void AChangedFolderIsPackedAgain()
    {
        Cache().Load(folder, Options);
        Write("odd/7.png", GrayPattern(7));
        File.Delete(Path.Combine(folder, "even", "0.png"));

        var changed = Cache().Load(folder, Options);
        Assert.That(decodes, Is.EqualTo(2));
        Assert.That(notes, Has.Some.Contains("changed since it was packed"));
        AssertHoldsTheFolder(changed, Enumerable.Range(1, 7).ToArray());
    }

    [Test]
    public void AnImageRewrittenInPlaceIsSeen()
    {
        Cache().Load(folder, Options);
        string path = Path.Combine(folder, "even", "2.png");
        Png.Write(path, GrayPattern(9));
        File.SetLastWriteTimeUtc(path, File.GetLastWriteTimeUtc(path).AddSeconds(5));

        var changed = Cache().Load(folder, Options);
        Assert.That(decodes, Is.EqualTo(2));
        var all = Images(changed.Train).Concat(Images(changed.Test));
        Assert.That(all, Has.Some.EqualTo(GrayPattern(9).Pixels).And.None.EqualTo(GrayPattern(2).Pixels));
    }

    [Test]
    public void OtherDecodeOptionsHaveTheirOwnFile()
    {
        var gray = Cache().Load(folder, Options);
        var rgb = Cache().Load(folder, Options with { Channels = 3 });
        Assert.That(decodes, Is.EqualTo(2));
        Assert.That(Cache().PathFor(folder, Options with { Channels = 3 }), Is.Not.EqualTo(Cache().PathFor(folder, Options)));
        Assert.That(rgb.Train.Pixels.ToArray(), Is.EqualTo(
            Images(gray.Train).SelectMany(image => image.Concat(image).Concat(image))), "a gray image as RGB repeats its plane");

        Cache().Load(folder, Options);
        Assert.That(decodes, Is.EqualTo(2), "the gray file is still there");
    }

    [TestCase("flipped byte")]
    [TestCase("truncated")]
    [TestCase("not a pack")]
    public void ADamagedFileIsPackedAgainWithAWarning(string damage)
    {
        Cache().Load(folder, Options);
        string path = Cache().PathFor(folder, Options);
        // Damaged in place, the file changes under the first load's mapping too: compare with a decode into memory.
        var expected = ImageFolder.Load(folder, Options);
        byte[] bytes = File.ReadAllBytes(path);
        switch (damage)
        {
            case "flipped byte":
                bytes[^3] ^= 0x10;
                break;
            case "truncated":
                Array.Resize(ref bytes, bytes.Length - 16);
                break;
            default:
                bytes = "not a packed data set"u8.ToArray();
                break;
        }
        File.WriteAllBytes(path, bytes);

        var rebuilt = Cache().Load(folder, Options);
        Assert.That(decodes, Is.EqualTo(2));
        Assert.That(notes, Has.Some.StartsWith($"warning: dataset cache {path}"));
        AssertSameSets(rebuilt, expected);
        Assert.DoesNotThrow(() => PackedDataset.Open(path), "the rebuilt file is whole");
    }

    [Test]
    public void AnUnwritableCacheFolderDecodesIntoMemoryWithAWarning()
    {
        string notAFolder = Path.Combine(root, "file");
        File.WriteAllText(notAFolder, "");

        var sets = Cache(Path.Combine(notAFolder, "cache")).Load(folder, Options);
        Assert.That(notes, Has.Some.StartsWith("warning: cannot write the dataset cache"));
        AssertHoldsTheFolder(sets, Enumerable.Range(0, 7).ToArray());
    }

    [Test]
    public void APackedFileOpensOnItsOwn()
    {
        Cache().Load(folder, Options);
        var opened = PackedDataset.Open(Cache().PathFor(folder, Options));
        AssertHoldsTheFolder(opened, Enumerable.Range(0, 7).ToArray());
        Assert.That(opened.Train.Name, Is.EqualTo("shapes/train"));
    }

    [Test]
    public void AFolderWithoutTestImagesPacks()
    {
        var sets = Cache().Load(folder, Options with { TestFraction = 0 });
        Assert.That(sets.Test.Count, Is.Zero);
        Assert.That(sets.Test.Pixels.Length, Is.Zero);
        AssertHoldsTheFolder(Cache().Load(folder, Options with { TestFraction = 0 }), Enumerable.Range(0, 7).ToArray());
    }

    [Test]
    public void DecodeErrorsNameTheFileAndLeaveNoPackedFile()
    {
        File.WriteAllBytes(Path.Combine(folder, "odd", "broken.png"), [1, 2, 3]);
        var error = Assert.Throws<DatasetException>(() => Cache().Load(folder, Options))!;
        Assert.That(error.Message, Does.Contain("broken.png"));
        Assert.That(Directory.Exists(cacheDirectory) ? Directory.GetFiles(cacheDirectory) : [], Is.Empty);
    }
}
