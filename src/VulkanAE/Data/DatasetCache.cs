using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using VulkanAE.Tuning;

namespace VulkanAE.Data;

/// <summary>
/// Image folders decoded once: each folder and set of decode options has one packed file
/// (<see cref="PackedDataset"/>) in the cache folder, rebuilt when the folder's listing no longer
/// matches its fingerprint or when it fails its checksum, and otherwise mapped instead of decoded.
/// </summary>
/// <param name="directory">Where the packed files go: by default "datasets" in the kernel choice cache's folder.</param>
/// <param name="note">Told what happens: a decode and its time, a damaged file rebuilt (a warning).</param>
/// <param name="decoding">Draws the decode's progress: see <see cref="PackedDataset.Build"/>.</param>
internal sealed class DatasetCache(string directory, Action<string> note, Func<int, Action>? decoding = null)
{
    public string Directory { get; } = directory;

    public static string DefaultDirectory() => Path.Combine(KernelChoiceCache.DefaultDirectory(), "datasets");

    /// <summary>
    /// The packed file of <paramref name="folder"/> decoded with <paramref name="options"/>: named after
    /// the folder's name and a hash of its full path and the options, so a changed folder overwrites its own file.
    /// </summary>
    public string PathFor(string folder, ImageFolderOptions options)
    {
        string key = $"{Path.GetFullPath(folder)}\n{options}"; // the record's text names every option
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16];
        return Path.Combine(Directory, $"{ImageFolder.NameOf(folder)}-{hash}.vaepack");
    }

    /// <summary>
    /// The folder's sets from its packed file, packing it first when there is none or it is stale or
    /// damaged. When the cache folder cannot be written, the folder is decoded into memory (with a warning).
    /// </summary>
    /// <exception cref="DatasetException">As <see cref="ImageFolder.Load"/>.</exception>
    public ImageFolderDatasets Load(string folder, ImageFolderOptions options)
    {
        options.Validate();
        string path = PathFor(folder, options);
        var listing = ImageFolderListing.Scan(folder);
        if (File.Exists(path) && UpToDate(path, PackedDatasetFingerprint.Of(folder, listing, options)) is { } packed)
            return packed;

        long bytes = listing.RelativePaths.Count * (long)options.Channels * options.ImageSize * options.ImageSize;
        if (bytes > Array.MaxLength)
            throw new DatasetException($"{folder}: {listing.RelativePaths.Count} images of {options.Channels}x{options.ImageSize}x{options.ImageSize} take {bytes} bytes, "
                + $"more than a set is mapped at once ({Array.MaxLength}): use a smaller image size or fewer images");

        var clock = Stopwatch.StartNew();
        note($"decoding {listing.RelativePaths.Count} images of {folder} into {path}");
        try
        {
            PackedDataset.Build(folder, options, path, decoding);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            note($"warning: cannot write the dataset cache {path} ({e.Message}); decoding into memory instead. "
                + $"Set {KernelChoiceCache.EnvironmentVariable} to a writable folder to decode it once");
            return ImageFolder.Load(folder, options);
        }
        note($"decoded in {clock.Elapsed.TotalSeconds:F1} s; later runs map the packed file");
        return PackedDataset.Open(path);
    }

    // Null when the file is stale (nothing to tell: the folder changed) or damaged (a warning).
    private ImageFolderDatasets? UpToDate(string path, byte[] fingerprint)
    {
        try
        {
            if (!PackedDatasetHeader.Read(path).Fingerprint.AsSpan().SequenceEqual(fingerprint))
            {
                note($"{path}: the folder or the decode options changed since it was packed; packing it again");
                return null;
            }
            return PackedDataset.Open(path);
        }
        catch (InvalidDataException e)
        {
            note($"warning: dataset cache {path}: {e.Message}; packing it again");
            return null;
        }
    }
}
