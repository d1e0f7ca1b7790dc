using System.Runtime.InteropServices;
using Silk.NET.Vulkan;
using Buffer = Silk.NET.Vulkan.Buffer;

namespace VulkanAE.Core;

/// <summary>
/// A named device buffer of 32-bit elements (float or uint), bound to kernels as a storage
/// buffer, or a <see cref="View"/> of a range of one. On unified memory the host reads and writes
/// it in place; on a discrete GPU uploads and downloads go through a staging buffer. Host access
/// is only valid while no submitted work that uses the tensor is in flight.
/// </summary>
internal sealed unsafe class Tensor : IDisposable
{
    private readonly Gpu _gpu;
    private readonly DeviceMemory _memory;
    private readonly nint _mapped;
    private readonly bool _isView;

    public string Name { get; }
    public long Length { get; }
    public ulong SizeBytes => (ulong)Length * 4;
    public Buffer Buffer { get; private set; }

    /// <summary>Where the tensor starts in <see cref="Buffer"/>: 0, or a view's offset.</summary>
    public ulong OffsetBytes { get; }

    internal Tensor(Gpu gpu, string name, long length)
    {
        if (length <= 0) throw new ArgumentOutOfRangeException(nameof(length), $"tensor {name}: length must be positive, got {length}");
        if ((ulong)length * 4 > gpu.Info.MaxStorageBufferRange)
            throw new OutOfDeviceMemoryException(
                $"tensor {name}: {length * 4L / 1048576.0:F1} MiB exceeds this device's maxStorageBufferRange of {gpu.Info.MaxStorageBufferRange / 1048576.0:F0} MiB per buffer; use a smaller --batch or model.");
        _gpu = gpu;
        Name = name;
        Length = length;
        // Uniform texel buffer too: a kernel may read a tensor as RGBA32F texels (Access.ReadTexels).
        const BufferUsageFlags usage = BufferUsageFlags.StorageBufferBit | BufferUsageFlags.UniformTexelBufferBit
            | BufferUsageFlags.TransferSrcBit | BufferUsageFlags.TransferDstBit;
        (Buffer, _memory, _mapped) = gpu.CreateBuffer(SizeBytes, usage, staging: false);
    }

    private Tensor(Tensor whole, string name, long elementOffset, long length)
    {
        _gpu = whole._gpu;
        _mapped = whole._mapped == 0 ? 0 : whole._mapped + (nint)(elementOffset * 4);
        _isView = true;
        Name = name;
        Length = length;
        Buffer = whole.Buffer;
        OffsetBytes = whole.OffsetBytes + (ulong)elementOffset * 4;
    }

    /// <summary>
    /// Elements [elementOffset, elementOffset + length) of this tensor as a tensor of their own
    /// that shares its buffer: kernels bind that range (so its byte offset must be a multiple of
    /// the device's minStorageBufferOffsetAlignment), copies, fills, uploads and downloads stay
    /// inside it, and the recorder places barriers only where ranges overlap. A view owns no
    /// memory: it is valid while the tensor it was taken from is.
    /// </summary>
    public Tensor View(string name, long elementOffset, long length)
    {
        if (length <= 0 || elementOffset < 0 || elementOffset + length > Length)
            throw new ArgumentOutOfRangeException(nameof(elementOffset),
                $"view {name} of {this}: elements [{elementOffset}, {elementOffset + length}) are outside its {Length} elements");
        ulong offset = OffsetBytes + (ulong)elementOffset * 4, alignment = _gpu.Info.MinStorageBufferOffsetAlignment;
        if (offset % alignment != 0)
            throw new ArgumentException($"view {name} of {this}: byte offset {offset} is not a multiple of this device's " +
                $"minStorageBufferOffsetAlignment ({alignment} bytes); start views at multiples of {Math.Max(1, alignment / 4)} elements.");
        return new Tensor(this, name, elementOffset, length);
    }

    /// <summary>
    /// The RGBA32F texels a kernel sees when it reads this tensor as a texel buffer
    /// (<see cref="Access.ReadTexels"/>): texel i is elements 4i..4i+3; a last partial texel is left out.
    /// </summary>
    public long TexelCount => Length / 4;

    /// <summary>Why this tensor cannot be read as a texel buffer on its device (no whole texel, too many, or a misaligned view), or null when it can.</summary>
    public string? TexelViewProblem()
    {
        var device = _gpu.Info;
        if (TexelCount == 0) return "it holds no whole texel of 4 elements";
        if (TexelCount > device.MaxTexelBufferElements)
            return $"its {TexelCount} texels exceed this device's maxTexelBufferElements ({device.MaxTexelBufferElements})";
        if (OffsetBytes % device.MinTexelBufferOffsetAlignment != 0)
            return $"its byte offset {OffsetBytes} is not a multiple of this device's minTexelBufferOffsetAlignment ({device.MinTexelBufferOffsetAlignment})";
        return null;
    }

    /// <summary>Whether the two tensors share bytes of one buffer: what the recorder calls a hazard.</summary>
    public bool Overlaps(Tensor other)
        => Buffer.Handle == other.Buffer.Handle && OffsetBytes < other.OffsetBytes + other.SizeBytes && other.OffsetBytes < OffsetBytes + SizeBytes;

    /// <summary>
    /// The tensor's bytes in place, on unified memory (see <see cref="Gpu.UnifiedMemory"/>): for a
    /// writer that assembles its data there rather than in a copy to upload. Valid while no
    /// submitted work that uses the tensor is in flight.
    /// </summary>
    public Span<byte> MappedBytes => _mapped != 0
        ? new Span<byte>((void*)_mapped, checked((int)SizeBytes))
        : throw new InvalidOperationException($"tensor {Name} is not mapped: this device moves data through staging buffers");

    public void Upload<T>(ReadOnlySpan<T> data, long elementOffset = 0) where T : unmanaged
    {
        var bytes = MemoryMarshal.AsBytes(data);
        CheckRange(bytes.Length, elementOffset);
        if (_mapped != 0)
        {
            bytes.CopyTo(new Span<byte>((byte*)_mapped + elementOffset * 4, bytes.Length));
            return;
        }
        using var staging = new StagingBuffer(_gpu, (ulong)bytes.Length);
        bytes.CopyTo(staging.Span);
        ulong size = (ulong)bytes.Length;
        _gpu.Run(r => r.CopyBuffer(staging.Buffer, 0, this, (ulong)elementOffset * 4, size));
    }

    public void Download<T>(Span<T> destination, long elementOffset = 0) where T : unmanaged
    {
        var bytes = MemoryMarshal.AsBytes(destination);
        CheckRange(bytes.Length, elementOffset);
        if (_mapped != 0)
        {
            new ReadOnlySpan<byte>((byte*)_mapped + elementOffset * 4, bytes.Length).CopyTo(bytes);
            return;
        }
        using var staging = new StagingBuffer(_gpu, (ulong)bytes.Length);
        ulong size = (ulong)bytes.Length;
        _gpu.Run(r => r.CopyBuffer(this, (ulong)elementOffset * 4, staging.Buffer, 0, size));
        staging.Span.CopyTo(bytes);
    }

    public float[] ToArray()
    {
        var result = new float[Length];
        Download<float>(result);
        return result;
    }

    private void CheckRange(int byteCount, long elementOffset)
    {
        if (byteCount % 4 != 0 || elementOffset < 0 || elementOffset * 4 + byteCount > (long)SizeBytes)
            throw new ArgumentOutOfRangeException(nameof(elementOffset),
                $"tensor {Name}: access of {byteCount} bytes at element {elementOffset} is outside its {Length} elements");
    }

    public override string ToString() => $"{Name}[{Length}]";

    public void Dispose()
    {
        if (_isView || Buffer.Handle == 0) return;
        _gpu.DestroyBuffer(Buffer, _memory);
        Buffer = default;
    }
}

/// <summary>A host-visible buffer used for one transfer to or from a device-local tensor.</summary>
internal sealed unsafe class StagingBuffer : IDisposable
{
    private readonly Gpu _gpu;
    private readonly DeviceMemory _memory;
    private readonly nint _mapped;
    private readonly ulong _size;

    public Buffer Buffer { get; }
    public Span<byte> Span => new((void*)_mapped, checked((int)_size));

    public StagingBuffer(Gpu gpu, ulong size)
    {
        _gpu = gpu;
        _size = size;
        (Buffer, _memory, _mapped) = gpu.CreateBuffer(size, BufferUsageFlags.TransferSrcBit | BufferUsageFlags.TransferDstBit, staging: true);
    }

    public void Dispose() => _gpu.DestroyBuffer(Buffer, _memory);
}
