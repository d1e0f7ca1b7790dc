using VulkanAE.Data;

namespace VulkanAE.Tests.Data;

[TestFixture]
public class IdxFileTests
{
    private IdxTestFiles files = null!;

    [SetUp]
    public void CreateFolder() => files = new IdxTestFiles();

    [TearDown]
    public void DeleteFolder() => files.Dispose();

    [Test]
    public void ReadImages_ValidFile_GivesDimensionsAndRowMajorPixels()
    {
        string path = files.Write("images-idx3-ubyte", IdxTestFiles.ImagesFile(count: 3, height: 4, width: 5));

        IdxImages images = IdxFile.ReadImages(path);

        Assert.That((images.Count, images.Height, images.Width), Is.EqualTo((3, 4, 5)));
        Assert.That(images.Pixels, Has.Length.EqualTo(3 * 4 * 5));
        Assert.That(images.Pixels[(2 * 4 + 3) * 5 + 1], Is.EqualTo(IdxTestFiles.PixelValue(2, 3, 1)));
    }

    [Test]
    public void ReadImages_GzippedFile_IsDecompressedWhateverItsName()
    {
        byte[] plain = IdxTestFiles.ImagesFile(count: 2, height: 3, width: 3);
        string path = files.Write("images-idx3-ubyte", IdxTestFiles.Gzip(plain));

        Assert.That(IdxFile.ReadImages(path).Pixels, Is.EqualTo(plain[16..]));
    }

    [Test]
    public void ReadImages_MissingPath_FallsBackToGzFile()
    {
        byte[] plain = IdxTestFiles.ImagesFile(count: 2, height: 3, width: 3);
        files.Write("images-idx3-ubyte.gz", IdxTestFiles.Gzip(plain));

        IdxImages images = IdxFile.ReadImages(Path.Combine(files.Directory, "images-idx3-ubyte"));

        Assert.That(images.Pixels, Is.EqualTo(plain[16..]));
    }

    [Test]
    public void ReadLabels_ValidFile_GivesLabels()
    {
        string path = files.Write("labels-idx1-ubyte", IdxTestFiles.LabelsFile(3, 1, 4, 1, 5));

        Assert.That(IdxFile.ReadLabels(path), Is.EqualTo(new byte[] { 3, 1, 4, 1, 5 }));
    }

    [Test]
    public void ReadImages_TruncatedFile_SaysExpectedAndFoundSizes()
    {
        byte[] full = IdxTestFiles.ImagesFile(count: 10, height: 28, width: 28);
        string path = files.Write("train-images-idx3-ubyte", full[..1000]);

        var error = Assert.Throws<DatasetException>(() => IdxFile.ReadImages(path))!;

        Assert.That(error.Message, Does.Contain("train-images-idx3-ubyte"));
        Assert.That(error.Message, Does.Contain("truncated file: expected 7856 bytes (10 images of 28x28), found 1000"));
    }

    [Test]
    public void ReadImages_TruncatedGzippedFile_SaysSizeIsAfterDecompression()
    {
        byte[] full = IdxTestFiles.ImagesFile(count: 10, height: 28, width: 28);
        string path = files.Write("train-images-idx3-ubyte.gz", IdxTestFiles.Gzip(full[..1000]));

        var error = Assert.Throws<DatasetException>(() => IdxFile.ReadImages(path))!;

        Assert.That(error.Message, Does.Contain("found 1000 after decompression"));
    }

    [Test]
    public void ReadImages_TrailingBytes_AreAnError()
    {
        byte[] full = IdxTestFiles.ImagesFile(count: 1, height: 2, width: 2);
        string path = files.Write("images-idx3-ubyte", [.. full, 0]);

        var error = Assert.Throws<DatasetException>(() => IdxFile.ReadImages(path))!;

        Assert.That(error.Message, Does.Contain("trailing bytes: expected 20 bytes (1 images of 2x2), found 21"));
    }

    [Test]
    public void ReadImages_LabelFile_SaysWhichKindItIs()
    {
        string path = files.Write("train-labels-idx1-ubyte", IdxTestFiles.LabelsFile(1, 2));

        var error = Assert.Throws<DatasetException>(() => IdxFile.ReadImages(path))!;

        Assert.That(error.Message, Does.Contain("train-labels-idx1-ubyte: expected magic 0x00000803, found 0x00000801: this is a label file"));
    }

    [Test]
    public void ReadImages_GzippedTwice_AsksWhetherStillGzipped()
    {
        byte[] twice = IdxTestFiles.Gzip(IdxTestFiles.Gzip(IdxTestFiles.ImagesFile(count: 1, height: 2, width: 2)));
        string path = files.Write("train-images-idx3-ubyte.gz", twice);

        var error = Assert.Throws<DatasetException>(() => IdxFile.ReadImages(path))!;

        Assert.That(error.Message, Does.Match("train-images-idx3-ubyte.gz: expected magic 0x00000803, found 0x1f8b08..: is the file still gzipped?"));
    }

    [Test]
    public void ReadLabels_NotAnIdxFile_SaysExpectedMagic()
    {
        string path = files.Write("labels-idx1-ubyte", "hello, world"u8.ToArray());

        var error = Assert.Throws<DatasetException>(() => IdxFile.ReadLabels(path))!;

        Assert.That(error.Message, Does.Contain("labels-idx1-ubyte: expected magic 0x00000801, found 0x68656c6c: not an unsigned-byte IDX file"));
    }

    [Test]
    public void ReadLabels_ShorterThanHeader_SaysTruncatedHeader()
    {
        string path = files.Write("labels-idx1-ubyte", IdxTestFiles.LabelsFile(1, 2)[..6]);

        var error = Assert.Throws<DatasetException>(() => IdxFile.ReadLabels(path))!;

        Assert.That(error.Message, Does.Contain("labels-idx1-ubyte: truncated header: expected at least 8 bytes, found 6"));
    }

    [Test]
    public void ReadImages_MissingFile_NamesBothPathsTried()
    {
        string path = Path.Combine(files.Directory, "t10k-images-idx3-ubyte");

        var error = Assert.Throws<DatasetException>(() => IdxFile.ReadImages(path))!;

        Assert.That(error.Message, Does.Contain($"{path}: file not found (nor t10k-images-idx3-ubyte.gz)"));
    }

    [Test]
    public void ReadImages_CorruptGzip_NamesTheFileAndSaysToFetchItAgain()
    {
        byte[] gzipped = IdxTestFiles.Gzip(IdxTestFiles.ImagesFile(count: 4, height: 8, width: 8));
        gzipped.AsSpan(12, 8).Fill(0xff);
        string path = files.Write("images-idx3-ubyte.gz", gzipped);

        var error = Assert.Throws<DatasetException>(() => IdxFile.ReadImages(path))!;

        Assert.That(error.Message, Does.StartWith($"{path}: corrupt gzip data"));
        Assert.That(error.Message, Does.EndWith("delete it and fetch it again"));
    }
}
