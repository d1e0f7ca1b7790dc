using VulkanAE.Core;
using VulkanAE.Data;
using VulkanAE.Kernels.Data;

namespace VulkanAE.Training;

/// <summary>
/// A dataset resident on the device as bytes (a quarter of the floats' size: MNIST's training set
/// is 47 MB), with the order in which a pass visits it. Batches are built on the GPU.
/// </summary>
internal sealed class DeviceDataset : IDisposable
{
    public DeviceDataset(Gpu gpu, ImageDataset dataset)
    {
        Source = dataset;
        Pixels = gpu.CreateTensor(dataset.Name + ".pixels", Math.Max(1, (dataset.Pixels.Length + 3L) / 4));
        Pixels.Upload<uint>(BatchGather.PackBytes(dataset.Pixels.Span));
        Order = gpu.CreateTensor(dataset.Name + ".order", Math.Max(1, dataset.Count));
        Order.Upload<uint>(Enumerable.Range(0, dataset.Count).Select(i => (uint)i).ToArray());
        if (dataset.Labels is { } labels && dataset.ClassCount <= 256)
        {
            Labels = gpu.CreateTensor(dataset.Name + ".labels", Math.Max(1, (labels.Length + 3L) / 4));
            Labels.Upload<uint>(BatchGather.PackBytes(labels.Select(label => (byte)label).ToArray()));
        }
    }

    public ImageDataset Source { get; }
    public int Count => Source.Count;
    public int Features => Source.ImageSize;
    public Tensor Pixels { get; }

    /// <summary>Each sample's class as a byte, packed four to a uint, for a model conditioned on labels; null without labels (or with over 256 classes).</summary>
    public Tensor? Labels { get; }

    /// <summary>Sample indices in visiting order: identity until <see cref="Shuffle"/>.</summary>
    public Tensor Order { get; }

    /// <summary>A fresh Fisher-Yates permutation from <paramref name="random"/>, uploaded for the next pass.</summary>
    public void Shuffle(Random random)
    {
        var order = new uint[Count];
        for (int i = 0; i < order.Length; i++) order[i] = (uint)i;
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        Order.Upload<uint>(order);
    }

    public void Dispose()
    {
        Pixels.Dispose();
        Order.Dispose();
        Labels?.Dispose();
    }
}
