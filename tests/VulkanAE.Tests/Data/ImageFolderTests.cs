using StbImageWriteSharp;
using VulkanAE.Data;
using VulkanAE.IO;

namespace VulkanAE.Tests.Data;

[TestFixture]
public class ImageFolderTests
{
    private string folder = "";

    [SetUp]
    public void CreateFolder()
    {
        folder = Path.Combine(Path.GetTempPath(), $"vulkanae-images-{Guid.NewGuid():N}", "faces");
        Directory.CreateDirectory(folder);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);

    // stb_image_write's JPEG encoder, to make JPEG files without a fixture (VulkanAE itself writes only PNG).
    private static void WriteJpg(string path, int width, int height, byte[] rgb, int quality)
    {
        using var file = File.Create(path);
        new ImageWriter().WriteJpg(rgb, width, height, ColorComponents.RedGreenBlue, file, quality);
    }

    private string Write(string relativePath, RasterImage image)
    {
        string path = Path.Combine(folder, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Png.Write(path, image);
        return path;
    }

    private string WriteBytes(string relativePath, byte[] content)
    {
        string path = Path.Combine(folder, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    // A gray image whose pixels all differ from those of another index.
    private static RasterImage GrayPattern(int index, int size = 4) =>
        new(size, size, 1, Enumerable.Range(0, size * size).Select(p => (byte)(index * 16 + p)).ToArray());

    private static ImageFolderDatasets Load(string directory, int imageSize = 4, int channels = 1, bool resize = false,
        double testFraction = 0, int seed = 0) =>
        ImageFolder.Load(directory, new ImageFolderOptions(imageSize, channels, resize, testFraction, seed));

    private DatasetException LoadFails(bool resize = false) =>
        Assert.Throws<DatasetException>(() => Load(folder, resize: resize))!;

    private static IEnumerable<byte[]> Images(ImageDataset dataset) =>
        Enumerable.Range(0, dataset.Count).Select(i => dataset.Image(i).ToArray());

    [Test]
    public void Load_GrayPngs_SplitsThemAndKeepsEachSetInPathOrder()
    {
        for (int i = 0; i < 10; i++) Write($"img_{i}.png", GrayPattern(i));

        var (train, test, classNames, trainPaths, testPaths) = Load(folder, testFraction: 0.2);

        Assert.That((train.Count, test.Count), Is.EqualTo((8, 2)));
        // Each image's path names the pattern it holds.
        Assert.That(trainPaths.Select(p => int.Parse(p[4..^4])), Is.EqualTo(Images(train).Select(image => image[0] / 16)));
        Assert.That(testPaths.Select(p => int.Parse(p[4..^4])), Is.EqualTo(Images(test).Select(image => image[0] / 16)));
        Assert.That((train.Name, test.Name), Is.EqualTo(("faces/train", "faces/test")));
        Assert.That((train.Channels, train.Height, train.Width), Is.EqualTo((1, 4, 4)));
        Assert.That(train.Labels, Is.Null);
        Assert.That((train.ClassCount, classNames.Count), Is.EqualTo((0, 0)));
        // Pattern index i starts with byte 16 i: each set lists its images by increasing index, all ten once.
        int[] trainIndices = Images(train).Select(image => image[0] / 16).ToArray();
        int[] testIndices = Images(test).Select(image => image[0] / 16).ToArray();
        Assert.That(trainIndices, Is.Ordered.And.Unique);
        Assert.That(testIndices, Is.Ordered.And.Unique);
        Assert.That(trainIndices.Concat(testIndices), Is.EquivalentTo(Enumerable.Range(0, 10)));
        Assert.That(Images(train).Concat(Images(test)), Is.EquivalentTo(Enumerable.Range(0, 10).Select(i => GrayPattern(i).Pixels)));
    }

    [Test]
    public void Load_Rgb_IsChannelPlanes()
    {
        Write("rgb.png", new RasterImage(2, 1, 3, [10, 20, 30, 40, 50, 60]));

        var train = Load(folder, imageSize: 1, channels: 3, resize: true).Train;

        // Centre crop keeps the left pixel of a 2x1 image.
        Assert.That(train.Pixels.ToArray(), Is.EqualTo(new byte[] { 10, 20, 30 }));
        Write("rgb.png", new RasterImage(2, 2, 3, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]));
        Assert.That(Load(folder, imageSize: 2, channels: 3).Train.Pixels.ToArray(), Is.EqualTo(new byte[] { 1, 4, 7, 10, 2, 5, 8, 11, 3, 6, 9, 12 }));
    }

    [Test]
    public void Load_RgbAsGray_UsesStbLuma_GrayAsRgb_CopiesIt()
    {
        Write("colour.png", new RasterImage(1, 1, 3, [200, 100, 50]));
        Write("gray.png", new RasterImage(1, 1, 1, [77]));

        var asGray = Load(folder, imageSize: 1, channels: 1).Train;
        var asRgb = Load(folder, imageSize: 1, channels: 3).Train;

        const int luma = (77 * 200 + 150 * 100 + 29 * 50) >> 8;
        Assert.That(asGray.Pixels.ToArray(), Is.EqualTo(new byte[] { luma, 77 }));
        Assert.That(asRgb.Pixels.ToArray(), Is.EqualTo(new byte[] { 200, 100, 50, 77, 77, 77 }));
    }

    [Test]
    public void Load_GrayAlphaPng_DropsTheAlpha()
    {
        Write("translucent.png", new RasterImage(1, 1, 2, [90, 10]));

        Assert.That(Load(folder, imageSize: 1).Train.Pixels.ToArray(), Is.EqualTo(new byte[] { 90 }));
    }

    [Test]
    public void Load_Jpegs_AnyExtensionCase()
    {
        byte[] flat = Enumerable.Repeat((byte)128, 8 * 8 * 3).ToArray();
        Directory.CreateDirectory(folder);
        foreach (string name in new[] { "a.jpg", "b.JPEG", "c.Jpg" })
        {
            WriteJpg(Path.Combine(folder, name), 8, 8, flat, quality: 100);
        }

        var train = Load(folder, imageSize: 8, channels: 3).Train;

        Assert.That(train.Count, Is.EqualTo(3));
        Assert.That(train.Pixels.ToArray(), Has.All.InRange(126, 130)); // JPEG is lossy, but a flat colour survives
    }

    [Test]
    public void Load_OtherSize_ResizeOff_NamesTheFileAndBothSizes()
    {
        Write("img_0001.png", GrayPattern(1));
        string wrong = Write("img_0003.png", new RasterImage(8, 6, 1, new byte[48]));

        Assert.That(LoadFails().Message, Is.EqualTo(
            $"{wrong} is 8x6; expected 4x4: drop --no-resize to crop and resize images on loading, or resize the folder's images"));
    }

    [Test]
    public void Load_OtherSize_ResizeOn_HalvesA2x2BlockImage()
    {
        // 8x8 image of 2x2 blocks: block (bx, by) has value 10 bx + 50 by + its position in the block (0, 1, 2, 3).
        var pixels = new byte[64];
        for (int y = 0; y < 8; y++)
        {
            for (int x = 0; x < 8; x++) pixels[y * 8 + x] = (byte)(10 * (x / 2) + 50 * (y / 2) + 2 * (y % 2) + x % 2);
        }

        Write("big.png", new RasterImage(8, 8, 1, pixels));

        var train = Load(folder, imageSize: 4, resize: true).Train;

        // Mean of a block: its value + (0 + 1 + 2 + 3) / 4 = value + 1.5, rounded half up.
        byte[] expected = Enumerable.Range(0, 16).Select(i => (byte)(10 * (i % 4) + 50 * (i / 4) + 2)).ToArray();
        Assert.That(train.Pixels.ToArray(), Is.EqualTo(expected));
    }

    [Test]
    public void Load_CorruptPng_NamesTheFileAndStbsReason()
    {
        Write("good.png", GrayPattern(0));
        var random = new Random(7);
        var noise = new byte[300];
        random.NextBytes(noise);
        string corrupt = WriteBytes("noise.png", noise);

        string message = LoadFails().Message;

        Assert.That(message, Does.StartWith($"{corrupt}: cannot decode image (300 bytes): "));
        Assert.That(message, Does.EndWith(": the file is corrupt, truncated or not an image: delete it or copy it again"));
    }

    [Test]
    public void Load_TruncatedPng_NamesTheFile()
    {
        byte[] png = Png.Encode(GrayPattern(3));
        string truncated = WriteBytes("cut.png", png[..(png.Length - 20)]);

        Assert.That(LoadFails().Message, Does.StartWith($"{truncated}: cannot decode image ({png.Length - 20} bytes): "));
    }

    [Test]
    public void Load_TruncatedJpeg_NamesTheFile()
    {
        string path = Path.Combine(folder, "cut.jpg");
        byte[] pattern = Enumerable.Range(0, 32 * 32 * 3).Select(i => (byte)(i * 7)).ToArray();
        WriteJpg(path, 32, 32, pattern, quality: 90);
        byte[] jpeg = File.ReadAllBytes(path);
        WriteBytes("cut.jpg", jpeg[..(jpeg.Length / 2)]);

        var error = Assert.Throws<DatasetException>(() => Load(folder, imageSize: 32, channels: 3))!;

        Assert.That(error.Message, Does.StartWith($"{path}: cannot decode image ({jpeg.Length / 2} bytes): "));
    }

    [Test]
    public void Load_TextFileNamedJpg_NamesTheFile()
    {
        string impostor = WriteBytes("notes.jpg", "just some notes"u8.ToArray());

        Assert.That(LoadFails().Message, Does.StartWith($"{impostor}: cannot decode image (15 bytes): "));
    }

    [Test]
    public void Load_EmptyPng_SaysItIsEmpty()
    {
        string empty = WriteBytes("empty.png", []);

        Assert.That(LoadFails().Message, Is.EqualTo($"{empty}: empty file (0 bytes): delete it or copy the image again"));
    }

    [Test]
    public void Load_SeveralBadFiles_NamesTheFirstAndCountsTheOthers()
    {
        Write("b_good.png", GrayPattern(0));
        string first = WriteBytes("a_empty.png", []);
        WriteBytes("c_text.png", "text"u8.ToArray());
        Write("d_big.png", GrayPattern(0, size: 5));

        string message = LoadFails().Message;

        Assert.That(message, Does.StartWith($"{first}: empty file"));
        Assert.That(message, Does.EndWith(" (and 2 more of the 4 images fail too)"));
    }

    [Test]
    public void Load_SkipsOtherFilesAndHiddenOnes()
    {
        Write("img.png", GrayPattern(2));
        WriteBytes("notes.txt", "not an image"u8.ToArray());
        WriteBytes("Thumbs.db", [1, 2, 3]);
        WriteBytes(".DS_Store", [4, 5]);
        WriteBytes("._img.png", [0, 5, 22, 7]); // macOS resource fork
        WriteBytes(".cache/broken.png", [9]);

        var train = Load(folder).Train;

        Assert.That(train.Pixels.ToArray(), Is.EqualTo(GrayPattern(2).Pixels));
    }

    [Test]
    public void Load_EmptyFolder_SaysSo()
    {
        Assert.That(LoadFails().Message, Is.EqualTo(
            $"{folder}: no .png, .jpg, .jpeg image found in the folder or its sub-folders (the folder is empty)"));
    }

    [Test]
    public void Load_FolderWithoutImages_CountsTheSkippedFiles()
    {
        WriteBytes("readme.txt", [1]);
        WriteBytes("sub/data.csv", [2]);

        Assert.That(LoadFails().Message, Does.EndWith("(2 files of other types were skipped)"));
    }

    [Test]
    public void Load_MissingFolder_NamesIt()
    {
        string missing = Path.Combine(folder, "nowhere");

        var error = Assert.Throws<DatasetException>(() => Load(missing))!;

        Assert.That(error.Message, Is.EqualTo($"{missing}: folder not found"));
    }

    [Test]
    public void Load_SubFolders_AreClassesInOrdinalOrder()
    {
        int[] perClass = [3, 5, 2];
        string[] names = ["dogs", "Cats", "birds"]; // ordinal order: Cats, birds, dogs
        for (int c = 0; c < names.Length; c++)
        {
            for (int i = 0; i < perClass[c]; i++) Write($"{names[c]}/{i}.png", GrayPattern(c));
        }

        Write("dogs/puppies/extra.png", GrayPattern(0)); // deeper folders belong to their first-level class

        var (train, test, classNames, _, _) = Load(folder, testFraction: 0.3);

        Assert.That(classNames, Is.EqualTo(new[] { "Cats", "birds", "dogs" }));
        Assert.That((train.ClassCount, test.ClassCount), Is.EqualTo((3, 3)));
        int[] labels = [.. train.Labels!, .. test.Labels!];
        Assert.That(Enumerable.Range(0, 3).Select(c => labels.Count(l => l == c)), Is.EqualTo(new[] { 5, 2, 4 }));
        // Each image's label matches its pattern: Cats were written with pattern 1, birds 2, dogs 0 (and the extra one).
        int[] patternOfClass = [1, 2, 0];
        foreach (var set in new[] { train, test })
        {
            for (int i = 0; i < set.Count; i++) Assert.That(set.Image(i)[0] / 16, Is.EqualTo(patternOfClass[set.Labels![i]]));
        }
    }

    [Test]
    public void Load_ImagesInTheRootOrInOneSubFolder_AreUnlabelled()
    {
        Write("only/a.png", GrayPattern(0));
        Write("only/b.png", GrayPattern(1));
        Assert.That(Load(folder).Train.Labels, Is.Null);

        Write("other/c.png", GrayPattern(2));
        Write("root.png", GrayPattern(3));
        Assert.That(Load(folder).Train.Labels, Is.Null);
    }

    [Test]
    public void Load_SameSeed_SameSplit_OtherSeed_OtherSplit()
    {
        for (int i = 0; i < 12; i++) Write($"img_{i:D2}.png", GrayPattern(i));

        var first = Load(folder, testFraction: 0.25, seed: 4);
        var again = Load(folder, testFraction: 0.25, seed: 4);
        var other = Load(folder, testFraction: 0.25, seed: 5);

        Assert.That((first.Train.Count, first.Test.Count), Is.EqualTo((9, 3)));
        Assert.That(again.Train.Pixels.ToArray(), Is.EqualTo(first.Train.Pixels.ToArray()));
        Assert.That(again.Test.Pixels.ToArray(), Is.EqualTo(first.Test.Pixels.ToArray()));
        Assert.That(other.Test.Pixels.ToArray(), Is.Not.EqualTo(first.Test.Pixels.ToArray()));
    }

    [TestCase(0, 1, 0.1)]
    [TestCase(4, 2, 0.1)]
    [TestCase(4, 1, 1.0)]
    [TestCase(4, 1, -0.1)]
    public void Load_OptionsOutOfRange_AreRejected(int imageSize, int channels, double testFraction)
    {
        Write("img.png", GrayPattern(0));

        Assert.Throws<ArgumentOutOfRangeException>(() => Load(folder, imageSize, channels, testFraction: testFraction));
    }

    [Test]
    public void AlignedLoading_RegistersEachImageOnItsForeground_InItsOwnCacheFile()
    {
        // Two off-centre discs of other sizes on a gray ground: loaded aligned, each is what ForegroundAlignment makes of it.
        RasterImage Disc(double cx, double cy, double r)
        {
            var pixels = new byte[24 * 24 * 3];
            for (int p = 0; p < 24 * 24; p++)
            {
                double dx = p % 24 + 0.5 - cx, dy = p / 24 + 0.5 - cy;
                byte[] colour = dx * dx + dy * dy <= r * r ? [230, 120, 40] : [100, 100, 100];
                colour.CopyTo(pixels, 3 * p);
            }
            return new RasterImage(24, 24, 3, pixels);
        }
        var discs = new[] { Disc(8, 9, 5), Disc(15, 13, 7.5) };
        Write("a.png", discs[0]);
        Write("b.png", discs[1]);
        var options = new ImageFolderOptions(24, 3, TestFraction: 0);

        var aligned = ImageFolder.Load(folder, options with { AlignForeground = true }).Train.Pixels.ToArray();

        var expected = new byte[aligned.Length];
        for (int i = 0; i < discs.Length; i++)
            ImageFolder.ToPlanar(ForegroundAlignment.Align(discs[i]).Pixels, 3, expected.AsSpan(i * 24 * 24 * 3, 24 * 24 * 3));
        Assert.That(aligned, Is.EqualTo(expected));
        Assert.That(aligned, Is.Not.EqualTo(ImageFolder.Load(folder, options).Train.Pixels.ToArray()));
        var cache = new DatasetCache(Path.Combine(Path.GetDirectoryName(folder)!, "cache"), _ => { });
        Assert.That(cache.PathFor(folder, options with { AlignForeground = true }), Is.Not.EqualTo(cache.PathFor(folder, options)));
    }
}
