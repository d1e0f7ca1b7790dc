using VulkanAE.Core;
using VulkanAE.Data;

namespace VulkanAE.Training;

/// <summary>
/// The training images as the recorded training step reads them: resident in one device buffer
/// (<see cref="DeviceDataset"/>), or streamed through two (<see cref="StreamedDataset"/>). The step is
/// recorded once per <see cref="Slots"/> buffer; batch b of a pass reads rows
/// <see cref="Rows"/>[b * batch .. (b + 1) * batch) of the buffer <see cref="Load"/> returns for it.
/// </summary>
internal interface ITrainingSet : IDisposable
{
    ImageDataset Source { get; }
    int Count => Source.Count;
    int Features => Source.ImageSize;

    /// <summary>
    /// Sample indices (into <see cref="Source"/>) in visiting order, one per image: identity until
    /// <see cref="Shuffle"/>. The one source of truth for which image a batch holds: whatever rides along
    /// with the images (labels) is gathered through it.
    /// </summary>
    Tensor Order { get; }

    /// <summary>Each image's class (<see cref="DeviceDataset.UploadLabels"/>), resident whatever the pixels do, read through <see cref="Order"/>; null when unlabelled.</summary>
    Tensor? Labels { get; }

    /// <summary>Which row of a slot's pixels each visit reads: <see cref="Order"/> itself when resident.</summary>
    Tensor Rows { get; }

    /// <summary>How many device buffers the images pass through.</summary>
    int Slots { get; }

    /// <summary>Slot <paramref name="slot"/>'s images as bytes packed four to a uint (what gather_batch.comp reads).</summary>
    Tensor Pixels(int slot);

    /// <summary>A fresh permutation from <paramref name="random"/> (<see cref="VisitingOrder.Shuffled"/>) for the next pass.</summary>
    void Shuffle(Random random);

    /// <summary>How many batches from <paramref name="batch"/> on a submission may run before the images must move.</summary>
    int BatchesAvailable(int batch);

    /// <summary>Makes the images of <paramref name="batch"/> resident (waiting for their upload) and returns their slot.</summary>
    int Load(int batch);

    /// <summary>
    /// Starts moving the images of <paramref name="batch"/> to the device while work on the current
    /// slot runs, when they are not there already. The caller has waited for all work on other slots.
    /// </summary>
    void Prefetch(int batch);
}

/// <summary>The seeded visiting order shared by every way a set is held, so they visit it alike.</summary>
internal static class VisitingOrder
{
    public static uint[] Identity(int count)
    {
        var order = new uint[count];
        for (int i = 0; i < order.Length; i++) order[i] = (uint)i;
        return order;
    }

    /// <summary>A Fisher-Yates permutation of [0, count) drawn from <paramref name="random"/>.</summary>
    public static uint[] Shuffled(int count, Random random)
    {
        var order = Identity(count);
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }
}
