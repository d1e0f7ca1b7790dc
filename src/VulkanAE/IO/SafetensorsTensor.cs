using System.Runtime.InteropServices;

namespace VulkanAE.IO;

/// <summary>Element types this project stores in safetensors files, named as in the format's "dtype" field.</summary>
internal enum SafetensorsDType
{
    F32,
    I32,
    U32,
}

/// <summary>
/// One tensor of a safetensors file: its element type, shape and raw little-endian bytes, row-major.
/// Every .NET target is little-endian, so the bytes are the in-memory representation.
/// </summary>
internal sealed class SafetensorsTensor
{
    public SafetensorsTensor(SafetensorsDType dtype, int[] shape, byte[] data)
    {
        foreach (int dimension in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(dimension, nameof(shape));
        }

        long expectedBytes = ElementCountOf(shape) * ElementSize(dtype);
        if (data.LongLength != expectedBytes)
        {
            throw new ArgumentException($"{data.LongLength} bytes for a {dtype} tensor of shape [{string.Join(", ", shape)}], expected {expectedBytes}", nameof(data));
        }

        DType = dtype;
        Shape = shape;
        Data = data;
    }

    public SafetensorsDType DType { get; }

    /// <summary>Size of each dimension; empty for a scalar.</summary>
    public int[] Shape { get; }

    /// <summary>Raw little-endian element bytes, row-major.</summary>
    public byte[] Data { get; }

    public long ElementCount => ElementCountOf(Shape);

    public static SafetensorsTensor FromFloats(float[] values, params int[] shape) =>
        new(SafetensorsDType.F32, shape, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    public static SafetensorsTensor FromInt32(int[] values, params int[] shape) =>
        new(SafetensorsDType.I32, shape, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    public static SafetensorsTensor FromUInt32(uint[] values, params int[] shape) =>
        new(SafetensorsDType.U32, shape, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    public float[] ToFloats() => ElementsAs<float>(SafetensorsDType.F32);

    public int[] ToInt32() => ElementsAs<int>(SafetensorsDType.I32);

    public uint[] ToUInt32() => ElementsAs<uint>(SafetensorsDType.U32);

    public static int ElementSize(SafetensorsDType dtype) => dtype switch
    {
        SafetensorsDType.F32 or SafetensorsDType.I32 or SafetensorsDType.U32 => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    public static long ElementCountOf(IEnumerable<int> shape) =>
        shape.Aggregate(1L, (count, dimension) => checked(count * dimension));

    private T[] ElementsAs<T>(SafetensorsDType expected)
        where T : unmanaged
    {
        if (DType != expected)
        {
            throw new InvalidOperationException($"tensor holds {DType} elements, not {expected}");
        }

        return MemoryMarshal.Cast<byte, T>(Data).ToArray();
    }
}
