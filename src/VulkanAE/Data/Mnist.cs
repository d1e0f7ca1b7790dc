namespace VulkanAE.Data;

/// <summary>
/// Loads MNIST or Fashion-MNIST (same format: 28x28 gray images, 10 classes) from a folder that
/// holds the four standard IDX files, plain or gzipped.
/// </summary>
internal static class Mnist
{
    /// <summary>Folder name of MNIST under data/ (fetched by tools/setup.sh).</summary>
    public const string DigitsFolder = "mnist";

    /// <summary>Folder name of Fashion-MNIST under data/ (linked by tools/setup.sh).</summary>
    public const string FashionFolder = "fashion-mnist";

    public const int ClassCount = 10;

    private const string HowToGetThem =
        "for MNIST run tools/setup.sh, which fetches it into data/mnist; " +
        "for Fashion-MNIST apt-get install dataset-fashion-mnist, then run tools/setup.sh, which links it into data/fashion-mnist";

    /// <summary>Loads the training (60000 images) or test (10000 images) split.</summary>
    /// <exception cref="DatasetException">The folder or a file is missing or malformed; the message says which and how to fix it.</exception>
    public static ImageDataset Load(string directory, bool train)
    {
        string split = train ? "train" : "t10k";
        string imagesPath = Path.Combine(directory, $"{split}-images-idx3-ubyte");
        string labelsPath = Path.Combine(directory, $"{split}-labels-idx1-ubyte");
        if (!Directory.Exists(directory))
        {
            throw new DatasetException($"{directory}: folder not found: {HowToGetThem}");
        }

        foreach (string path in new[] { imagesPath, labelsPath })
        {
            if (!DatasetFile.Exists(path))
            {
                throw new DatasetException($"{path}: file not found (nor {Path.GetFileName(path)}.gz): {HowToGetThem}");
            }
        }

        IdxImages images = IdxFile.ReadImages(imagesPath);
        byte[] labels = IdxFile.ReadLabels(labelsPath);
        if (labels.Length != images.Count)
        {
            throw new DatasetException(
                $"{labelsPath}: {labels.Length} labels for the {images.Count} images of {Path.GetFileName(imagesPath)}: the two files come from different data sets or splits");
        }

        int outOfRange = Array.FindIndex(labels, label => label >= ClassCount);
        if (outOfRange >= 0)
        {
            throw new DatasetException($"{labelsPath}: label {labels[outOfRange]} of image {outOfRange} is not a class in [0, {ClassCount})");
        }

        string name = $"{Path.GetFileName(Path.TrimEndingDirectorySeparator(directory))}/{(train ? "train" : "test")}";
        return new ImageDataset(name, images.Count, channels: 1, images.Height, images.Width,
            images.Pixels, Array.ConvertAll(labels, label => (int)label), ClassCount);
    }

    /// <summary>Loads from data/<paramref name="folder"/> as found by <see cref="DataDirectory.Locate"/>.</summary>
    /// <param name="folder"><see cref="DigitsFolder"/> or <see cref="FashionFolder"/>.</param>
    public static ImageDataset LoadFromDataDirectory(string folder, bool train) =>
        Load(DataDirectory.Locate(folder), train);
}
