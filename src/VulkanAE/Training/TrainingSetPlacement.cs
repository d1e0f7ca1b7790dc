using VulkanAE.Core;
using VulkanAE.Data;

namespace VulkanAE.Training;

/// <summary>
/// Where a training set lives on the device: resident when it fits both one storage buffer binding
/// (maxStorageBufferRange) and the device memory it may take (--device-dataset-mb); streamed through
/// two buffers of whole batches otherwise (<see cref="StreamedDataset"/>).
/// </summary>
internal static class TrainingSetPlacement
{
    /// <summary>The default budget's share of the largest device-local heap: the rest is the model's, the other sets' and other programs'.</summary>
    private const int HeapShare = 16;

    /// <summary>The device memory a training set may take when --device-dataset-mb is not given: a sixteenth of the largest device-local heap.</summary>
    public static long DefaultBudgetBytes(DeviceInfo info)
    {
        var deviceLocal = info.Heaps.Where(h => h.DeviceLocal).ToArray();
        return (long)((deviceLocal.Length > 0 ? deviceLocal : info.Heaps).Max(h => h.SizeBytes) / HeapShare);
    }

    /// <param name="budgetMegabytes">--device-dataset-mb, in MiB; null for <see cref="DefaultBudgetBytes"/>.</param>
    /// <param name="note">Told when the set streams, and how.</param>
    /// <exception cref="UserInputException">The budget holds less than a batch per buffer.</exception>
    public static ITrainingSet Place(Gpu gpu, ImageDataset dataset, int batchSize, int? budgetMegabytes, Action<string> note)
    {
        if (budgetMegabytes is < 1) throw new UserInputException($"--device-dataset-mb must be at least 1, got {budgetMegabytes}");
        long budget = budgetMegabytes is int mb ? mb * 1048576L : DefaultBudgetBytes(gpu.Info);
        long binding = (long)Math.Min(gpu.Info.MaxStorageBufferRange, int.MaxValue);
        long bytes = (long)dataset.Count * dataset.ImageSize;
        if (bytes <= Math.Min(budget, binding)) return new DeviceDataset(gpu, dataset);

        long batchBytes = (long)batchSize * dataset.ImageSize;
        long perBuffer = Math.Min(budget / 2, binding);
        if (perBuffer < batchBytes)
        {
            string limit = budget / 2 < binding ? $"--device-dataset-mb {budget / 1048576.0:0.#}" : $"one buffer of {gpu.Info.Name} (maxStorageBufferRange)";
            throw new UserInputException($"{dataset.Name} streams through two device buffers of whole batches, but {limit} holds less than two batches of "
                + $"{batchSize} images of {dataset.ImageSize} bytes ({2 * batchBytes / 1048576.0:0.##} MiB): raise --device-dataset-mb to at least "
                + $"{Math.Ceiling(2 * batchBytes / 1048576.0)} or lower --batch");
        }
        var streamed = new StreamedDataset(gpu, dataset, batchSize, (int)(perBuffer / batchBytes));
        string reason = bytes > binding ? $"one buffer of this device ({binding / 1048576.0:F0} MiB)" : $"--device-dataset-mb ({budget / 1048576.0:0.#} MiB)";
        note($"{dataset.Name}: {bytes / 1048576.0:F1} MiB of images exceed {reason}: streaming them through 2 device buffers of {streamed.ChunkImages} images");
        return streamed;
    }
}
