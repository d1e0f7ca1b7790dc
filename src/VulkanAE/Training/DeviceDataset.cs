using VulkanAE.Core;
using VulkanAE.Data;
using VulkanAE.Kernels.Data;

namespace VulkanAE.Training;

/// <summary>
/// A dataset resident on the device as bytes (a quarter of the floats' size: MNIST's training set
/// is 47 MB), with the order in which a pass visits it. Batches are built on the GPU.
/// </summary>
internal sealed class DeviceDataset : ITrainingSet
{
    /// <exception cref="UserInputException">The set is larger than one storage buffer binding of this device.</exception>
    public DeviceDataset(Gpu gpu, ImageDataset dataset)
    {
        Source = dataset;
        long words = Math.Max(1, (dataset.Pixels.Length + 3L) / 4);
        if ((ulong)words * 4 > gpu.Info.MaxStorageBufferRange)
            throw new UserInputException($"{dataset.Name}: {dataset.Count} images take {dataset.Pixels.Length / 1048576.0:F1} MiB, more than one buffer of "
                + $"{gpu.Info.Name} holds ({gpu.Info.MaxStorageBufferRange / 1048576.0:F0} MiB, maxStorageBufferRange); use fewer images (--limit)");
        Pixels = gpu.CreateTensor(dataset.Name + ".pixels", words);
        Upload(Pixels, dataset.Pixels.Span);
        Order = gpu.CreateTensor(dataset.Name + ".order", Math.Max(1, dataset.Count));
        Order.Upload<uint>(VisitingOrder.Identity(dataset.Count));
        Labels = UploadLabels(gpu, dataset);
    }

    public ImageDataset Source { get; }
    public int Count => Source.Count;
    public int Features => Source.ImageSize;
    public Tensor Pixels { get; }

    /// <summary>Each sample's class as a byte, packed four to a uint, for a model conditioned on labels; null without labels (or with over 256 classes).</summary>
    public Tensor? Labels { get; }

    /// <summary>Sample indices in visiting order: identity until <see cref="Shuffle"/>.</summary>
    public Tensor Order { get; }

    Tensor ITrainingSet.Rows => Order;
    int ITrainingSet.Slots => 1;
    Tensor ITrainingSet.Pixels(int slot) => Pixels;
    int ITrainingSet.BatchesAvailable(int batch) => int.MaxValue;
    int ITrainingSet.Load(int batch) => 0;
    void ITrainingSet.Prefetch(int batch) { }

    /// <summary>A fresh permutation from <paramref name="random"/> (<see cref="VisitingOrder.Shuffled"/>), uploaded for the next pass.</summary>
    public void Shuffle(Random random) => Order.Upload<uint>(VisitingOrder.Shuffled(Count, random));

    /// <summary>Each image's class as a byte packed four to a uint, indexed by sample (through <see cref="Order"/>); null when unlabelled or over 256 classes.</summary>
    internal static Tensor? UploadLabels(Gpu gpu, ImageDataset dataset)
    {
        if (dataset.Labels is not { } labels || dataset.ClassCount > 256) return null;
        var tensor = gpu.CreateTensor(dataset.Name + ".labels", Math.Max(1, (labels.Length + 3L) / 4));
        tensor.Upload<uint>(BatchGather.PackBytes(labels.Select(label => (byte)label).ToArray()));
        return tensor;
    }

    /// <summary>
    /// <paramref name="bytes"/> into <paramref name="pixels"/> from its start, packed little-endian four
    /// to a uint (gather_batch.comp's layout, which is the bytes' own order on a little-endian host).
    /// </summary>
    internal static void Upload(Tensor pixels, ReadOnlySpan<byte> bytes)
    {
        int whole = bytes.Length & ~3;
        if (whole > 0) pixels.Upload(bytes[..whole]);
        if (whole == bytes.Length) return;
        Span<byte> last = stackalloc byte[4];
        last.Clear();
        bytes[whole..].CopyTo(last);
        pixels.Upload<byte>(last, whole / 4);
    }

    public void Dispose()
    {
        Pixels.Dispose();
        Order.Dispose();
        Labels?.Dispose();
    }
}
