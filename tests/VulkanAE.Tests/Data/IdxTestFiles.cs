using System.Buffers.Binary;
using System.IO.Compression;
using VulkanAE.Data;

namespace VulkanAE.Tests.Data;

/// <summary>Builds small IDX files in a temporary folder, plain or gzipped, valid or broken on purpose.</summary>
internal sealed class IdxTestFiles : IDisposable
{
    public IdxTestFiles()
    {
        Directory = Path.Combine(Path.GetTempPath(), "vulkanae-idx-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    /// <summary>Pixel value of image i at (y, x), so tests can check where every byte went.</summary>
    public static byte PixelValue(int image, int y, int x) => (byte)(image * 31 + y * 7 + x);

    public static byte[] ImagesFile(int count, int height, int width)
    {
        var content = new byte[16 + count * height * width];
        WriteHeader(content, IdxFile.ImagesMagic, count, height, width);
        for (int i = 0; i < count; i++)
        {
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    content[16 + (i * height + y) * width + x] = PixelValue(i, y, x);
                }
            }
        }

        return content;
    }

    public static byte[] LabelsFile(params byte[] labels)
    {
        var content = new byte[8 + labels.Length];
        WriteHeader(content, IdxFile.LabelsMagic, labels.Length);
        labels.CopyTo(content, 8);
        return content;
    }

    public static byte[] Gzip(byte[] content)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest))
        {
            gzip.Write(content);
        }

        return compressed.ToArray();
    }

    /// <summary>Writes <paramref name="content"/> as <paramref name="name"/> in <see cref="Directory"/> and returns its path.</summary>
    public string Write(string name, byte[] content)
    {
        string path = Path.Combine(Directory, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>Writes the four MNIST files of both splits with <paramref name="count"/> 28x28 images each.</summary>
    public void WriteMnistSplits(int count, bool gzipped)
    {
        byte[] labels = Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray();
        foreach (string split in new[] { "train", "t10k" })
        {
            string suffix = gzipped ? ".gz" : "";
            byte[] images = ImagesFile(count, 28, 28);
            byte[] labelFile = LabelsFile(labels);
            Write($"{split}-images-idx3-ubyte{suffix}", gzipped ? Gzip(images) : images);
            Write($"{split}-labels-idx1-ubyte{suffix}", gzipped ? Gzip(labelFile) : labelFile);
        }
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    private static void WriteHeader(byte[] content, uint magic, params int[] dimensions)
    {
        BinaryPrimitives.WriteUInt32BigEndian(content, magic);
        for (int d = 0; d < dimensions.Length; d++)
        {
            BinaryPrimitives.WriteInt32BigEndian(content.AsSpan(4 + 4 * d), dimensions[d]);
        }
    }
}
