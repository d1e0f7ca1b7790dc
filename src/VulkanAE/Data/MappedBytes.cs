using System.Buffers;
using System.IO.MemoryMappedFiles;

namespace VulkanAE.Data;

/// <summary>
/// A read-only region of a file, memory-mapped and seen as <see cref="Memory{T}"/>: the operating
/// system pages it in as it is read and may drop it again, so a packed data set costs no heap. The
/// mapping lives as long as the memory is referenced (a data set lives for its run).
/// </summary>
internal sealed unsafe class MappedBytes : MemoryManager<byte>
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _start;
    private readonly int _length;

    /// <param name="length">At most <see cref="Array.MaxLength"/>: what one <see cref="Memory{T}"/> spans.</param>
    public MappedBytes(string path, long offset, int length)
    {
        _file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, mapName: null, capacity: 0, MemoryMappedFileAccess.Read);
        _view = _file.CreateViewAccessor(offset, length, MemoryMappedFileAccess.Read);
        byte* mapped = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref mapped);
        _start = mapped + _view.PointerOffset;
        _length = length;
    }

    public override Span<byte> GetSpan() => new(_start, _length);

    public override MemoryHandle Pin(int elementIndex = 0) => new(_start + elementIndex);

    public override void Unpin() { }

    protected override void Dispose(bool disposing)
    {
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }
}
