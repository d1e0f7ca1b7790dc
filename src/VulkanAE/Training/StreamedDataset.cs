using VulkanAE.Core;
using VulkanAE.Data;

namespace VulkanAE.Training;

/// <summary>
/// A training set too large for one storage buffer binding or for the device memory it may use
/// (--device-dataset-mb), streamed through two device buffers ("slots"). The shuffled epoch is cut
/// into chunks of whole batches; chunk c holds the images of visits [c * chunk, (c + 1) * chunk) in
/// visiting order and goes to slot c % 2, so the next chunk is copied in while the GPU trains on the
/// current one. The order stays one global seeded permutation (<see cref="VisitingOrder"/>), so a
/// streamed epoch visits the images a resident one does, in the same batches.
/// On unified memory (a CPU driver, an integrated GPU) the host gathers a chunk straight into its slot; elsewhere
/// into a staging buffer of that slot, and a copy submitted on the queue ahead of the chunk's
/// steps moves it (queue order and each sequence's leading barrier order the two).
/// </summary>
internal sealed class StreamedDataset : ITrainingSet
{
    private readonly Tensor[] _pixels;
    private readonly StagingBuffer[]? _staging;
    private readonly Sequence[]? _copies;
    private readonly Submission?[] _uploads;
    private readonly int?[] _chunkIn;
    private uint[] _order;

    /// <param name="chunkBatches">Batches per chunk: each slot holds that many batches of <paramref name="batchSize"/> images.</param>
    public StreamedDataset(Gpu gpu, ImageDataset dataset, int batchSize, int chunkBatches)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkBatches);
        Source = dataset;
        ChunkImages = (int)Math.Min((long)chunkBatches * batchSize, dataset.Count);
        long bytes = (long)ChunkImages * Features;
        long words = Math.Max(1, (bytes + 3) / 4);
        _pixels = [gpu.CreateTensor(dataset.Name + ".chunk0", words), gpu.CreateTensor(dataset.Name + ".chunk1", words)];
        if (!gpu.UnifiedMemory)
        {
            _staging = _pixels.Select(p => new StagingBuffer(gpu, p.SizeBytes)).ToArray();
            _copies = _pixels.Select((p, slot) => Sequence.Record(gpu, $"upload {p.Name}", r => r.CopyBuffer(_staging[slot].Buffer, 0, p, 0, p.SizeBytes))).ToArray();
        }
        _uploads = new Submission?[Slots];
        _chunkIn = new int?[Slots];
        _order = VisitingOrder.Identity(dataset.Count);
        Order = gpu.CreateTensor(dataset.Name + ".order", Math.Max(1, dataset.Count));
        Order.Upload<uint>(_order);
        Labels = DeviceDataset.UploadLabels(gpu, dataset);
        Rows = gpu.CreateTensor(dataset.Name + ".rows", Math.Max(1, dataset.Count));
        Rows.Upload<uint>(Enumerable.Range(0, dataset.Count).Select(visit => (uint)(visit % ChunkImages)).ToArray());
        BatchSize = batchSize;
    }

    public ImageDataset Source { get; }
    public int Count => Source.Count;
    public int Features => Source.ImageSize;
    public int BatchSize { get; }

    /// <summary>Images per chunk (and per slot): whole batches, or the whole set when it is smaller.</summary>
    public int ChunkImages { get; }

    public Tensor Order { get; }

    public Tensor? Labels { get; }

    /// <summary>Visit v reads row v % <see cref="ChunkImages"/> of its chunk's slot.</summary>
    public Tensor Rows { get; }

    public int Slots => 2;

    public Tensor Pixels(int slot) => _pixels[slot];

    public void Shuffle(Random random)
    {
        _order = VisitingOrder.Shuffled(Count, random);
        Order.Upload<uint>(_order);
        Array.Clear(_chunkIn);
    }

    private int ChunkOf(int batch) => (int)((long)batch * BatchSize / ChunkImages);

    public int BatchesAvailable(int batch) => (ChunkOf(batch) + 1) * ChunkImages / BatchSize - batch;

    public int Load(int batch)
    {
        int chunk = ChunkOf(batch), slot = chunk % Slots;
        if (_chunkIn[slot] != chunk) Upload(chunk, slot);
        _uploads[slot]?.Wait();
        _uploads[slot] = null;
        return slot;
    }

    public void Prefetch(int batch)
    {
        int chunk = ChunkOf(batch), slot = chunk % Slots;
        if ((long)chunk * ChunkImages < Count && _chunkIn[slot] != chunk) Upload(chunk, slot);
    }

    /// <summary>Chunk <paramref name="chunk"/>'s images, in visiting order, into <paramref name="slot"/>.</summary>
    private void Upload(int chunk, int slot)
    {
        _uploads[slot]?.Wait();
        int first = chunk * ChunkImages, count = Math.Min(ChunkImages, Count - first);
        var destination = _staging is null ? _pixels[slot].MappedBytes : _staging[slot].Span;
        var pixels = Source.Pixels.Span;
        for (int i = 0; i < count; i++)
            pixels.Slice((int)(_order[first + i] * (long)Features), Features).CopyTo(destination.Slice(i * Features, Features));
        if (_copies is not null) _uploads[slot] = _copies[slot].Submit();
        _chunkIn[slot] = chunk;
    }

    public void Dispose()
    {
        foreach (var upload in _uploads) upload?.Wait();
        foreach (var copy in _copies ?? []) copy.Dispose();
        foreach (var staging in _staging ?? []) staging.Dispose();
        foreach (var pixels in _pixels) pixels.Dispose();
        Order.Dispose();
        Rows.Dispose();
        Labels?.Dispose();
    }
}
