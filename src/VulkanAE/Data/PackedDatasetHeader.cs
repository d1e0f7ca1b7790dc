using System.Buffers.Binary;
using System.Text;

namespace VulkanAE.Data;

/// <summary>
/// The first 128 bytes of a packed data set (<see cref="PackedDataset"/>): what the file holds and
/// where, the fingerprint of the folder and options it was packed from, and the checksum of the rest.
/// </summary>
internal sealed record PackedDatasetHeader(int Channels, int ImageSize, int TrainCount, int TestCount, long IndexLength, long PixelsOffset,
    byte[] Fingerprint, byte[] Checksum)
{
    public const int Size = 128;
    private const int Format = 1;
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("VAEPACK\n");

    public long ImageBytes => (long)Channels * ImageSize * ImageSize;

    public byte[] ToBytes()
    {
        var bytes = new byte[Size];
        var span = bytes.AsSpan();
        Magic.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[8..], Format);
        BinaryPrimitives.WriteInt32LittleEndian(span[12..], Channels);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], ImageSize);
        BinaryPrimitives.WriteInt32LittleEndian(span[20..], TrainCount);
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], TestCount);
        BinaryPrimitives.WriteInt64LittleEndian(span[28..], IndexLength);
        BinaryPrimitives.WriteInt64LittleEndian(span[36..], PixelsOffset);
        Fingerprint.CopyTo(span[44..76]);
        Checksum.CopyTo(span[76..108]);
        return bytes;
    }

    /// <exception cref="InvalidDataException">The file is shorter than a header, or not a packed data set of this format.</exception>
    public static PackedDatasetHeader Read(string path)
    {
        var bytes = new byte[Size];
        using (var file = File.OpenRead(path))
        {
            if (file.ReadAtLeast(bytes, Size, throwOnEndOfStream: false) < Size)
                throw new InvalidDataException($"{file.Length} bytes, shorter than its header: truncated");
        }

        var span = bytes.AsSpan();
        if (!span[..8].SequenceEqual(Magic) || BinaryPrimitives.ReadInt32LittleEndian(span[8..]) != Format)
            throw new InvalidDataException($"not a format-{Format} packed data set");
        var header = new PackedDatasetHeader(
            Channels: BinaryPrimitives.ReadInt32LittleEndian(span[12..]),
            ImageSize: BinaryPrimitives.ReadInt32LittleEndian(span[16..]),
            TrainCount: BinaryPrimitives.ReadInt32LittleEndian(span[20..]),
            TestCount: BinaryPrimitives.ReadInt32LittleEndian(span[24..]),
            IndexLength: BinaryPrimitives.ReadInt64LittleEndian(span[28..]),
            PixelsOffset: BinaryPrimitives.ReadInt64LittleEndian(span[36..]),
            Fingerprint: span[44..76].ToArray(),
            Checksum: span[76..108].ToArray());
        if (header.Channels is not (1 or 3) || header.ImageSize < 1 || header.TrainCount < 0 || header.TestCount < 0
            || header.IndexLength < 0 || header.PixelsOffset < Size + header.IndexLength)
            throw new InvalidDataException("its header holds impossible sizes: damaged");
        return header;
    }
}
