using System.IO.MemoryMappedFiles;
using System.Security.Cryptography;
using System.Text;
using VulkanAE.IO;

namespace VulkanAE.Data;

/// <summary>
/// An image folder decoded once into one file: a header, an index (the folder's name, its classes,
/// and each image's path, label and split), then the training set's images and the test set's, as
/// fixed-size CHW bytes. Opening it maps the pixels instead of reading them.
/// </summary>
/// <remarks>
/// Layout, little-endian: the 128-byte header (<see cref="PackedDatasetHeader"/>), the index at byte
/// 128, the pixels at the next multiple of 4096 to the end of the file. The header holds the
/// fingerprint of what was packed (<see cref="PackedDatasetFingerprint"/>) and the SHA-256 of
/// everything after it, so a truncated or damaged file is told from a good one; SHA-256 because .NET
/// has it built in and it hashes at 1-2 GB/s with the CPU's SHA instructions. A packed file is only
/// ever replaced (renamed over), never written in place, so a set mapped by a running process keeps
/// its bytes while another process packs the folder again.
/// </remarks>
internal static class PackedDataset
{
    private const int PixelAlignment = 4096;

    /// <summary>
    /// Decodes the images of <paramref name="directory"/> straight into a new file at <paramref name="path"/>,
    /// staged and published as <see cref="RunFile"/> does (a temporary file beside it, on disk before it is
    /// renamed over the old one), so a reader never sees half a file. The decode writes through a mapping
    /// of the staged file, which a stream writer cannot offer.
    /// </summary>
    /// <param name="decoding">Told the number of images before decoding starts; what it returns is called after each image, from any thread.</param>
    /// <exception cref="DatasetException">As <see cref="ImageFolder.Load"/>.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static unsafe void Build(string directory, ImageFolderOptions options, string path, Func<int, Action>? decoding = null)
    {
        options.Validate();
        var listing = ImageFolderListing.Scan(directory);
        var layout = ImageFolderLayout.Of(listing, options);
        byte[] index = Index(ImageFolder.NameOf(directory), listing, layout);
        long imageBytes = (long)options.Channels * options.ImageSize * options.ImageSize;
        long pixelsOffset = (PackedDatasetHeader.Size + index.Length + PixelAlignment - 1) / PixelAlignment * PixelAlignment;
        long length = pixelsOffset + listing.RelativePaths.Count * imageBytes;

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        string temporary = path + RunFile.TemporarySuffix;
        bool published = false;
        try
        {
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.ReadWrite))
            {
                file.SetLength(length);
                file.Position = PackedDatasetHeader.Size;
                file.Write(index);
            }

            using (var mapping = MemoryMappedFile.CreateFromFile(temporary, FileMode.Open, mapName: null, capacity: 0, MemoryMappedFileAccess.ReadWrite))
            using (var view = mapping.CreateViewAccessor(pixelsOffset, length - pixelsOffset, MemoryMappedFileAccess.ReadWrite))
            {
                byte* pixels = null;
                view.SafeMemoryMappedViewHandle.AcquirePointer(ref pixels);
                try
                {
                    pixels += view.PointerOffset;
                    int trainCount = layout.TrainImages.Length;
                    ImageFolder.DecodeAll(directory, listing, layout, options,
                        (test, slot) => new Span<byte>(pixels + ((test ? trainCount : 0) + slot) * imageBytes, (int)imageBytes),
                        decoding?.Invoke(listing.RelativePaths.Count));
                }
                finally
                {
                    view.SafeMemoryMappedViewHandle.ReleasePointer();
                }
            }

            var header = new PackedDatasetHeader(options.Channels, options.ImageSize, layout.TrainImages.Length, layout.TestImages.Length,
                index.Length, pixelsOffset, PackedDatasetFingerprint.Of(directory, listing, options), ContentChecksum(temporary));
            using (var file = new FileStream(temporary, FileMode.Open, FileAccess.Write))
            {
                file.Write(header.ToBytes());
                file.Flush(flushToDisk: true); // fsync: the pages written through the mapping too
            }

            RunFile.Publish(path);
            published = true;
        }
        finally
        {
            if (!published) RunFile.Discard(path);
        }
    }

    /// <summary>
    /// The sets of a packed file, their pixels mapped, after checking the file whole against its checksum.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not a packed data set, or is truncated or damaged: the message says which.</exception>
    public static ImageFolderDatasets Open(string path)
    {
        var header = PackedDatasetHeader.Read(path);
        long expectedLength = header.PixelsOffset + (long)(header.TrainCount + header.TestCount) * header.ImageBytes;
        long length = new FileInfo(path).Length;
        if (length != expectedLength)
            throw new InvalidDataException($"{length} bytes where its header says {expectedLength}: truncated or damaged");
        if (!ContentChecksum(path).AsSpan().SequenceEqual(header.Checksum))
            throw new InvalidDataException("its content does not match its checksum: damaged");

        var (name, classNames, images) = ReadIndex(path, header);
        int[] trainImages = Enumerable.Range(0, header.TrainCount).ToArray();
        int[] testImages = Enumerable.Range(header.TrainCount, header.TestCount).ToArray();
        var listing = new ImageFolderListing(images.Select(image => image.Path).ToArray(),
            classNames.Count == 0 ? null : images.Select(image => image.Label).ToArray(), classNames);
        var options = new ImageFolderOptions(header.ImageSize, header.Channels);
        return new ImageFolderDatasets(
            ImageFolder.Dataset($"{name}/train", trainImages, Pixels(path, header.PixelsOffset, header.TrainCount * header.ImageBytes), listing, options),
            ImageFolder.Dataset($"{name}/test", testImages,
                Pixels(path, header.PixelsOffset + header.TrainCount * header.ImageBytes, header.TestCount * header.ImageBytes), listing, options),
            classNames,
            Array.ConvertAll(trainImages, i => listing.RelativePaths[i]),
            Array.ConvertAll(testImages, i => listing.RelativePaths[i]));
    }

    private static ReadOnlyMemory<byte> Pixels(string path, long offset, long length)
    {
        if (length > Array.MaxLength)
            throw new InvalidDataException($"a set of {length} bytes is more than this version maps at once ({Array.MaxLength}): pack the folder at a smaller image size");
        return length == 0 ? ReadOnlyMemory<byte>.Empty : new MappedBytes(path, offset, (int)length).Memory;
    }

    private sealed record IndexedImage(string Path, int Label, bool Test);

    // The index: the folder's name, the class names, then each image in the file's order (training
    // set, then test set) with its relative path, label (-1 when unlabelled) and split.
    private static byte[] Index(string name, ImageFolderListing listing, ImageFolderLayout layout)
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream, Encoding.UTF8);
        writer.Write(name);
        writer.Write(listing.ClassNames.Count);
        foreach (string className in listing.ClassNames) writer.Write(className);
        foreach (int image in layout.TrainImages.Concat(layout.TestImages))
        {
            writer.Write(listing.RelativePaths[image]);
            writer.Write(listing.Labels?[image] ?? -1);
            writer.Write(layout.IsTest[image]);
        }
        writer.Flush();
        return stream.ToArray();
    }

    private static (string Name, IReadOnlyList<string> ClassNames, IndexedImage[] Images) ReadIndex(string path, PackedDatasetHeader header)
    {
        using var file = File.OpenRead(path);
        file.Position = PackedDatasetHeader.Size;
        using var reader = new BinaryReader(file, Encoding.UTF8);
        string name = reader.ReadString();
        var classNames = new string[reader.ReadInt32()];
        for (int c = 0; c < classNames.Length; c++) classNames[c] = reader.ReadString();
        var images = new IndexedImage[header.TrainCount + header.TestCount];
        for (int i = 0; i < images.Length; i++) images[i] = new IndexedImage(reader.ReadString(), reader.ReadInt32(), reader.ReadBoolean());
        if (images.Select((image, i) => image.Test != i >= header.TrainCount).Any(wrong => wrong))
            throw new InvalidDataException("its index puts images in the wrong set: damaged");
        return (name, classNames, images);
    }

    /// <summary>SHA-256 of everything after the header.</summary>
    private static byte[] ContentChecksum(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 20);
        file.Position = PackedDatasetHeader.Size;
        return SHA256.HashData(file);
    }
}
