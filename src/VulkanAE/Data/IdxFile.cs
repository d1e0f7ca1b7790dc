using System.Buffers.Binary;

namespace VulkanAE.Data;

/// <summary>Images of an IDX file: <see cref="Pixels"/> holds Count x Height x Width bytes, row-major.</summary>
internal sealed record IdxImages(int Count, int Height, int Width, byte[] Pixels);

/// <summary>
/// Reader for the IDX format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/):
/// a big-endian header (magic, then one 32-bit size per dimension) followed by unsigned bytes.
/// Files may be gzipped; see <see cref="DatasetFile"/>.
/// </summary>
internal static class IdxFile
{
    /// <summary>Magic of an unsigned-byte IDX file with 3 dimensions (count, rows, columns).</summary>
    public const uint ImagesMagic = 0x00000803;

    /// <summary>Magic of an unsigned-byte IDX file with 1 dimension (count).</summary>
    public const uint LabelsMagic = 0x00000801;

    private const int ImagesHeaderBytes = 16;
    private const int LabelsHeaderBytes = 8;

    /// <exception cref="DatasetException">The file is missing, not an image IDX file, or has the wrong size.</exception>
    public static IdxImages ReadImages(string path)
    {
        var file = DatasetFile.ReadAllBytes(path);
        CheckMagic(file, ImagesMagic);
        CheckHeaderLength(file, ImagesHeaderBytes);

        int count = ReadDimension(file, 0);
        int height = ReadDimension(file, 1);
        int width = ReadDimension(file, 2);
        long pixelBytes = (long)count * height * width;
        if (pixelBytes > Array.MaxLength)
        {
            throw new DatasetException($"{file.Path}: header announces {count} images of {height}x{width}, too many bytes for one array");
        }

        CheckLength(file, ImagesHeaderBytes + pixelBytes, $"{count} images of {height}x{width}");
        return new IdxImages(count, height, width, file.Bytes[ImagesHeaderBytes..]);
    }

    /// <exception cref="DatasetException">The file is missing, not a label IDX file, or has the wrong size.</exception>
    public static byte[] ReadLabels(string path)
    {
        var file = DatasetFile.ReadAllBytes(path);
        CheckMagic(file, LabelsMagic);
        CheckHeaderLength(file, LabelsHeaderBytes);

        int count = ReadDimension(file, 0);
        CheckLength(file, LabelsHeaderBytes + (long)count, $"{count} labels");
        return file.Bytes[LabelsHeaderBytes..];
    }

    private static void CheckMagic(DatasetFileContent file, uint expected)
    {
        CheckHeaderLength(file, sizeof(uint));
        uint found = BinaryPrimitives.ReadUInt32BigEndian(file.Bytes);
        if (found != expected)
        {
            throw new DatasetException($"{file.Path}: expected magic 0x{expected:x8}, found 0x{found:x8}: {DescribeMagic(found, file)}");
        }
    }

    // Turns a wrong magic into the likely mistake, so the message says what to fix.
    private static string DescribeMagic(uint found, DatasetFileContent file) => found switch
    {
        ImagesMagic => "this is an image file, a label file was expected",
        LabelsMagic => "this is a label file, an image file was expected",
        // DatasetFile has already removed one layer of gzip.
        _ when DatasetFile.IsGzip(file.Bytes) => "is the file still gzipped? It was compressed twice: gunzip it once",
        _ => "not an unsigned-byte IDX file in MNIST format",
    };

    private static void CheckHeaderLength(DatasetFileContent file, int headerBytes)
    {
        if (file.Bytes.Length < headerBytes)
        {
            throw new DatasetException($"{file.Path}: truncated header: expected at least {headerBytes} bytes, found {file.Bytes.Length}");
        }
    }

    private static int ReadDimension(DatasetFileContent file, int dimension)
    {
        int size = BinaryPrimitives.ReadInt32BigEndian(file.Bytes.AsSpan(sizeof(uint) * (1 + dimension)));
        if (size < 0)
        {
            throw new DatasetException($"{file.Path}: dimension {dimension} has negative size {size} in the header");
        }

        return size;
    }

    private static void CheckLength(DatasetFileContent file, long expectedBytes, string contentDescription)
    {
        if (file.Bytes.Length != expectedBytes)
        {
            string problem = file.Bytes.Length < expectedBytes ? "truncated file" : "unexpected trailing bytes";
            string afterDecompression = file.WasGzipped ? " after decompression" : "";
            throw new DatasetException(
                $"{file.Path}: {problem}: expected {expectedBytes} bytes ({contentDescription}), found {file.Bytes.Length}{afterDecompression}");
        }
    }
}
