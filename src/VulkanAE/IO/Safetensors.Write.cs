using System.Buffers.Binary;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace VulkanAE.IO;

/// <summary>
/// The safetensors format (https://github.com/huggingface/safetensors): an 8-byte little-endian
/// header length, a JSON header {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__":
/// {string: string}}, then the tensors' raw bytes, offsets counted from the end of the header.
/// </summary>
internal static partial class Safetensors
{
    public const string MetadataKey = "__metadata__";

    // The reference implementation pads the header with spaces so tensor data starts 8-byte aligned.
    private const int HeaderAlignment = 8;

    private static readonly JsonWriterOptions HeaderWriterOptions = new()
    {
        // Keeps tensor names readable in the header; the escaping of the default encoder is for HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Writes <paramref name="tensors"/> to <paramref name="path"/> through <see cref="RunFile"/>: the
    /// file is replaced only once the whole new one is on disk, so an interrupted save never
    /// destroys the previous checkpoint.
    /// </summary>
    public static void Write(string path, IReadOnlyDictionary<string, SafetensorsTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
        => RunFile.WriteAllBytes(path, Serialize(tensors, metadata));

    /// <summary>
    /// The bytes of a safetensors file. Tensors and metadata are in ordinal name order, so equal
    /// content always gives identical files.
    /// </summary>
    public static byte[] Serialize(IReadOnlyDictionary<string, SafetensorsTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        string[] names = [.. tensors.Keys.Order(StringComparer.Ordinal)];
        foreach (string name in names)
        {
            if (name.Length == 0 || name == MetadataKey)
            {
                throw new ArgumentException($"'{name}' cannot name a tensor: it must be non-empty and not {MetadataKey}", nameof(tensors));
            }
        }

        byte[] header = SerializeHeader(names, tensors, metadata);
        int paddedHeaderLength = (header.Length + HeaderAlignment - 1) / HeaderAlignment * HeaderAlignment;
        long dataLength = names.Sum(name => tensors[name].Data.LongLength);

        var file = new byte[sizeof(ulong) + paddedHeaderLength + dataLength];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)paddedHeaderLength);
        header.CopyTo(file, sizeof(ulong));
        file.AsSpan(sizeof(ulong) + header.Length, paddedHeaderLength - header.Length).Fill((byte)' ');

        int offset = sizeof(ulong) + paddedHeaderLength;
        foreach (string name in names)
        {
            tensors[name].Data.CopyTo(file, offset);
            offset += tensors[name].Data.Length;
        }

        return file;
    }

    private static byte[] SerializeHeader(string[] names, IReadOnlyDictionary<string, SafetensorsTensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, HeaderWriterOptions))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                foreach (var key in metadata.Keys.Order(StringComparer.Ordinal))
                {
                    json.WriteString(key, metadata[key]);
                }

                json.WriteEndObject();
            }

            long begin = 0;
            foreach (string name in names)
            {
                SafetensorsTensor tensor = tensors[name];
                json.WriteStartObject(name);
                json.WriteString("dtype", tensor.DType.ToString());
                json.WriteStartArray("shape");
                foreach (int dimension in tensor.Shape)
                {
                    json.WriteNumberValue(dimension);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(begin);
                json.WriteNumberValue(begin + tensor.Data.LongLength);
                json.WriteEndArray();
                json.WriteEndObject();
                begin += tensor.Data.LongLength;
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
