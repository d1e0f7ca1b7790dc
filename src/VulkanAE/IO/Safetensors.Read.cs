using System.Buffers.Binary;
using System.Text.Json;

namespace VulkanAE.IO;

internal static partial class Safetensors
{
    // The reference implementation refuses larger headers; a bigger value means a corrupt file.
    private const ulong MaximumHeaderLength = 100_000_000;

    /// <exception cref="UserInputException">The file is not a valid safetensors file; the message names it and the problem.</exception>
    public static SafetensorsContent Read(string path) => Deserialize(File.ReadAllBytes(path), path);

    /// <param name="source">Names the content in error messages, usually its file path.</param>
    /// <exception cref="UserInputException">The bytes are not a valid safetensors file.</exception>
    public static SafetensorsContent Deserialize(byte[] file, string source)
    {
        UserInputException Corrupt(string problem) => new($"{source}: not a valid safetensors file: {problem}");

        if (file.Length < sizeof(ulong))
        {
            throw Corrupt($"{file.Length} bytes, shorter than the 8-byte header length");
        }

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (headerLength > MaximumHeaderLength || headerLength > (ulong)(file.Length - sizeof(ulong)))
        {
            throw Corrupt($"header length {headerLength} does not fit in the file's {file.Length} bytes (truncated or another format)");
        }

        int dataStart = sizeof(ulong) + (int)headerLength;
        JsonDocument header;
        try
        {
            header = JsonDocument.Parse(file.AsMemory(sizeof(ulong), (int)headerLength));
        }
        catch (JsonException e)
        {
            throw Corrupt($"header is not valid JSON: {e.Message}");
        }

        using (header)
        {
            if (header.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Corrupt($"header is a JSON {header.RootElement.ValueKind}, not an object");
            }

            var metadata = new Dictionary<string, string>();
            var entries = new List<(string Name, SafetensorsDType DType, int[] Shape, long Begin, long End)>();
            var names = new HashSet<string>();
            foreach (JsonProperty property in header.RootElement.EnumerateObject())
            {
                if (!names.Add(property.Name))
                {
                    throw Corrupt($"'{property.Name}' appears twice in the header");
                }

                if (property.Name == MetadataKey)
                {
                    ReadMetadata(property.Value, metadata, Corrupt);
                }
                else
                {
                    var (dtype, shape, begin, end) = ReadTensorEntry(property, Corrupt);
                    entries.Add((property.Name, dtype, shape, begin, end));
                }
            }

            // The format requires the tensors to tile the data exactly: no gaps, no overlaps, nothing after.
            long expectedBegin = 0;
            var tensors = new Dictionary<string, SafetensorsTensor>();
            foreach (var entry in entries.OrderBy(entry => entry.Begin).ThenBy(entry => entry.End))
            {
                if (entry.Begin != expectedBegin)
                {
                    throw Corrupt($"tensor '{entry.Name}' starts at data offset {entry.Begin}, expected {expectedBegin} (tensors must not overlap or leave gaps)");
                }

                long expectedBytes = ByteCount(entry.DType, entry.Shape) ?? throw Corrupt($"tensor '{entry.Name}' has shape [{string.Join(", ", entry.Shape)}], too large");
                if (entry.End - entry.Begin != expectedBytes)
                {
                    throw Corrupt($"tensor '{entry.Name}' has data_offsets [{entry.Begin}, {entry.End}] but {entry.DType} of shape [{string.Join(", ", entry.Shape)}] takes {expectedBytes} bytes");
                }

                if (entry.End > file.Length - dataStart)
                {
                    throw Corrupt($"tensor '{entry.Name}' ends at data offset {entry.End}, past the {file.Length - dataStart} data bytes (truncated file?)");
                }

                byte[] data = file[(dataStart + (int)entry.Begin)..(dataStart + (int)entry.End)];
                tensors.Add(entry.Name, new SafetensorsTensor(entry.DType, entry.Shape, data));
                expectedBegin = entry.End;
            }

            if (expectedBegin != file.Length - dataStart)
            {
                throw Corrupt($"{file.Length - dataStart - expectedBegin} bytes after the last tensor's data");
            }

            return new SafetensorsContent(source, tensors, metadata);
        }
    }

    private static long? ByteCount(SafetensorsDType dtype, int[] shape)
    {
        try
        {
            return checked(SafetensorsTensor.ElementCountOf(shape) * SafetensorsTensor.ElementSize(dtype));
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    private static void ReadMetadata(JsonElement element, Dictionary<string, string> metadata, Func<string, UserInputException> corrupt)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw corrupt($"{MetadataKey} is a JSON {element.ValueKind}, not an object of strings");
        }

        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String)
            {
                throw corrupt($"{MetadataKey} value of '{property.Name}' is a JSON {property.Value.ValueKind}, not a string");
            }

            metadata[property.Name] = property.Value.GetString()!;
        }
    }

    private static (SafetensorsDType DType, int[] Shape, long Begin, long End) ReadTensorEntry(JsonProperty property, Func<string, UserInputException> corrupt)
    {
        string name = property.Name;
        JsonElement entry = property.Value;
        if (entry.ValueKind != JsonValueKind.Object)
        {
            throw corrupt($"tensor '{name}' is a JSON {entry.ValueKind}, not an object");
        }

        JsonElement Field(string field) => entry.TryGetProperty(field, out var value)
            ? value
            : throw corrupt($"tensor '{name}' has no \"{field}\"");

        JsonElement dtypeElement = Field("dtype");
        string? dtypeName = dtypeElement.ValueKind == JsonValueKind.String ? dtypeElement.GetString() : null;
        string[] supported = Enum.GetNames<SafetensorsDType>();
        if (dtypeName is null || !supported.Contains(dtypeName))
        {
            throw corrupt($"tensor '{name}' has dtype {dtypeElement.GetRawText()}, this reader supports {string.Join(", ", supported)}");
        }

        var dtype = Enum.Parse<SafetensorsDType>(dtypeName);

        int[] shape = ReadNonNegativeIntegers(Field("shape"), $"tensor '{name}' shape", corrupt)
            .Select(dimension => dimension <= int.MaxValue ? (int)dimension : throw corrupt($"tensor '{name}' has a dimension of {dimension}, too large"))
            .ToArray();
        long[] offsets = ReadNonNegativeIntegers(Field("data_offsets"), $"tensor '{name}' data_offsets", corrupt);
        if (offsets.Length != 2 || offsets[0] > offsets[1])
        {
            throw corrupt($"tensor '{name}' data_offsets {Field("data_offsets").GetRawText()} is not [begin, end] with begin <= end");
        }

        return (dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] ReadNonNegativeIntegers(JsonElement element, string what, Func<string, UserInputException> corrupt)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw corrupt($"{what} is a JSON {element.ValueKind}, not an array");
        }

        return element.EnumerateArray()
            .Select(item => item.ValueKind == JsonValueKind.Number && item.TryGetInt64(out long value) && value >= 0
                ? value
                : throw corrupt($"{what} holds {item.GetRawText()}, not a non-negative integer"))
            .ToArray();
    }
}
