using System.IO.Compression;

namespace VulkanAE.Data;

/// <summary>The bytes of a data set file, after decompression when <see cref="WasGzipped"/>.</summary>
/// <param name="Path">The path actually read (may have gained ".gz"), for error messages.</param>
internal sealed record DatasetFileContent(string Path, byte[] Bytes, bool WasGzipped);

/// <summary>
/// Reads a data set file whole, decompressing it when it is gzipped, so readers see the same
/// bytes for "train-images-idx3-ubyte" and "train-images-idx3-ubyte.gz".
/// </summary>
internal static class DatasetFile
{
    private const byte GzipMagic1 = 0x1f;
    private const byte GzipMagic2 = 0x8b;

    /// <summary>
    /// True when <paramref name="path"/> or <paramref name="path"/>.gz exists.
    /// </summary>
    public static bool Exists(string path) => Resolve(path) is not null;

    /// <summary>
    /// Reads <paramref name="path"/>, or <paramref name="path"/>.gz when the former is missing.
    /// Gzipped content is recognised by its magic bytes, whatever the file name.
    /// </summary>
    public static DatasetFileContent ReadAllBytes(string path)
    {
        string resolvedPath = Resolve(path) ?? throw new DatasetException($"{path}: file not found (nor {Path.GetFileName(path)}.gz)");

        byte[] raw;
        try
        {
            raw = File.ReadAllBytes(resolvedPath);
        }
        catch (IOException e)
        {
            throw new DatasetException($"{resolvedPath}: cannot be read: {e.Message}", e);
        }

        return IsGzip(raw)
            ? new DatasetFileContent(resolvedPath, Decompress(raw, resolvedPath), WasGzipped: true)
            : new DatasetFileContent(resolvedPath, raw, WasGzipped: false);
    }

    private static string? Resolve(string path) =>
        File.Exists(path) ? path
        : File.Exists(path + ".gz") ? path + ".gz"
        : null;

    public static bool IsGzip(ReadOnlySpan<byte> content) =>
        content.Length >= 2 && content[0] == GzipMagic1 && content[1] == GzipMagic2;

    private static byte[] Decompress(byte[] gzipped, string path)
    {
        try
        {
            using var gzip = new GZipStream(new MemoryStream(gzipped), CompressionMode.Decompress);
            using var decompressed = new MemoryStream();
            gzip.CopyTo(decompressed);
            return decompressed.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new DatasetException($"{path}: corrupt gzip data ({e.Message}): delete it and fetch it again", e);
        }
    }
}
