using VulkanAE.Data;

namespace VulkanAE.Tests.Data;

[TestFixture]
public class MnistTests
{
    private IdxTestFiles files = null!;

    [SetUp]
    public void CreateFolder() => files = new IdxTestFiles();

    [TearDown]
    public void DeleteFolder() => files.Dispose();

    [TestCase(false)]
    [TestCase(true)]
    public void Load_PlainOrGzippedFiles_GivesOneChannelLabelledImages(bool gzipped)
    {
        files.WriteMnistSplits(count: 12, gzipped);

        ImageDataset test = Mnist.Load(files.Directory, train: false);

        Assert.That((test.Count, test.Channels, test.Height, test.Width), Is.EqualTo((12, 1, 28, 28)));
        Assert.That(test.ClassCount, Is.EqualTo(10));
        Assert.That(test.Labels, Is.EqualTo(Enumerable.Range(0, 12).Select(i => i % 10).ToArray()));
        Assert.That(test.Image(5)[3 * 28 + 2], Is.EqualTo(IdxTestFiles.PixelValue(5, 3, 2)));
        Assert.That(test.Name, Does.EndWith("/test"));
    }

    [Test]
    public void Load_MissingDirectory_SaysHowToGetTheData()
    {
        string missing = Path.Combine(files.Directory, "mnist");

        var error = Assert.Throws<DatasetException>(() => Mnist.Load(missing, train: true))!;

        Assert.That(error.Message, Does.StartWith($"{missing}: folder not found"));
        Assert.That(error.Message, Does.Contain("run tools/setup.sh, which fetches it into data/mnist"));
        Assert.That(error.Message, Does.Contain("apt-get install dataset-fashion-mnist"));
    }

    [Test]
    public void Load_MissingLabelFile_NamesIt()
    {
        files.WriteMnistSplits(count: 3, gzipped: true);
        File.Delete(Path.Combine(files.Directory, "train-labels-idx1-ubyte.gz"));

        var error = Assert.Throws<DatasetException>(() => Mnist.Load(files.Directory, train: true))!;

        Assert.That(error.Message, Does.Contain("train-labels-idx1-ubyte: file not found (nor train-labels-idx1-ubyte.gz): for MNIST run tools/setup.sh"));
    }

    [Test]
    public void Load_ImageAndLabelCountsDiffer_NamesBothFiles()
    {
        files.WriteMnistSplits(count: 3, gzipped: false);
        files.Write("train-labels-idx1-ubyte", IdxTestFiles.LabelsFile(1, 2));

        var error = Assert.Throws<DatasetException>(() => Mnist.Load(files.Directory, train: true))!;

        Assert.That(error.Message, Does.Contain("train-labels-idx1-ubyte: 2 labels for the 3 images of train-images-idx3-ubyte"));
    }

    [Test]
    public void Load_LabelOutsideTenClasses_NamesImageAndLabel()
    {
        files.WriteMnistSplits(count: 3, gzipped: false);
        files.Write("t10k-labels-idx1-ubyte", IdxTestFiles.LabelsFile(1, 12, 3));

        var error = Assert.Throws<DatasetException>(() => Mnist.Load(files.Directory, train: false))!;

        Assert.That(error.Message, Does.Contain("t10k-labels-idx1-ubyte: label 12 of image 1 is not a class in [0, 10)"));
    }

    // tools/setup.sh (run first by .ci/run) fetches MNIST and links Fashion-MNIST, so CI must find them.
    [TestCase(Mnist.DigitsFolder)]
    [TestCase(Mnist.FashionFolder)]
    public void LoadFromDataDirectory_RealData_HasStandardSplits(string folder)
    {
        ImageDataset train = Mnist.LoadFromDataDirectory(folder, train: true);
        ImageDataset test = Mnist.LoadFromDataDirectory(folder, train: false);

        Assert.That((train.Count, train.Channels, train.Height, train.Width), Is.EqualTo((60000, 1, 28, 28)));
        Assert.That((test.Count, test.Channels, test.Height, test.Width), Is.EqualTo((10000, 1, 28, 28)));
        Assert.That(train.Labels!.Distinct().Order(), Is.EqualTo(Enumerable.Range(0, 10)));
        // Both sets have about 6000 training images per class.
        Assert.That(train.Labels!.CountBy(label => label).Select(pair => pair.Value), Is.All.InRange(5000, 7000));
    }
}
