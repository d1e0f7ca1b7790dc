using System.Security.Cryptography;
using System.Text;

namespace VulkanAE.Data;

/// <summary>
/// What a packed data set was made from: the folder's listing (each image's path, size and
/// modification time) and the decode options. A packed file whose fingerprint differs from the
/// folder's now is stale.
/// </summary>
internal static class PackedDatasetFingerprint
{
    /// <summary>SHA-256 of the listing and options, 32 bytes.</summary>
    /// <exception cref="DatasetException">An image of the listing can no longer be read.</exception>
    public static byte[] Of(string directory, ImageFolderListing listing, ImageFolderOptions options)
    {
        var text = new StringBuilder();
        text.Append($"{options}\n"); // the record's text names every option
        foreach (string relativePath in listing.RelativePaths)
        {
            var file = new FileInfo(Path.Join(directory, relativePath));
            if (!file.Exists) throw new DatasetException($"{file.FullName}: the file went away while the folder was read; run again");
            text.Append($"{relativePath}\0{file.Length}\0{file.LastWriteTimeUtc.Ticks}\n");
        }
        return SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
    }
}
