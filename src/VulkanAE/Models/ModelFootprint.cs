using VulkanAE.Core;
using VulkanAE.Models.Layers;

namespace VulkanAE.Models;

/// <summary>
/// What a model asks of a device, counted in 64 bits from its declaration alone, so that a model
/// too large for the device is refused with the size it would need before anything is allocated
/// (a wrapped 32-bit count once let `dense 2000000000` grow the process past 9 GB).
/// Parameters are held four times (value, gradient and Adam's two moments); each layer keeps its
/// output and its input gradient for every row of a batch. The estimate is a lower bound: kernels'
/// workspaces and the data set come on top.
/// </summary>
internal sealed class ModelFootprint
{
    /// <summary>Every tensor length is a 32-bit int in the engine; beyond it a model cannot be built.</summary>
    public const long MaxTensorElements = int.MaxValue;

    private const long BytesPerValue = sizeof(float);
    private const int CopiesPerParameter = 4;
    private const int CopiesPerActivation = 2;

    private long _parameters;
    private long _activationsPerSample;
    private (string Name, long Elements) _largestParameter = ("", 0);
    private (string Name, long Elements) _largestActivation = ("", 0);

    public long Parameters => _parameters;

    /// <summary>Counts a layer's parameters and its output; throws, naming the layer, when a tensor exceeds <see cref="MaxTensorElements"/>.</summary>
    public void Add(string layer, double parameters, TensorShape output)
    {
        // In doubles: three dimensions of up to 2^31 overflow even a long.
        double outputs = (double)output.Channels * output.Height * output.Width;
        if (parameters > MaxTensorElements || outputs > MaxTensorElements)
            throw new ArgumentException($"{layer}: {Math.Max(parameters, outputs):N0} values in one tensor; at most {MaxTensorElements:N0} are possible: make the layer smaller");
        _parameters += (long)parameters;
        _activationsPerSample += output.Elements;
        if (parameters > _largestParameter.Elements) _largestParameter = (layer, (long)parameters);
        if (output.Elements > _largestActivation.Elements) _largestActivation = (layer, output.Elements);
    }

    /// <summary>The bytes the model needs on a device for batches of <paramref name="maxRows"/> (a double: it may exceed a long).</summary>
    public double DeviceBytes(int maxRows)
        => BytesPerValue * (CopiesPerParameter * (double)_parameters + CopiesPerActivation * (double)maxRows * _activationsPerSample);

    /// <summary>
    /// Throws a <see cref="UserInputException"/> naming the size needed when the model cannot fit
    /// <paramref name="device"/>: more bytes than its largest heap, or one buffer larger than a storage binding may be.
    /// </summary>
    public void CheckFits(DeviceInfo device, string model, int maxRows)
    {
        double needed = DeviceBytes(maxRows);
        double heap = device.Heaps.Count == 0 ? 0 : device.Heaps.Max(h => h.SizeBytes);
        if (needed > heap)
            throw new UserInputException($"model {model} needs at least {Mebibytes(needed)} on the device ({_parameters:N0} parameters, "
                + $"batches of {maxRows}); {device.Name}'s largest memory heap holds {Mebibytes(heap)}: "
                + "make its largest layers smaller or lower --batch");
        foreach (var (name, elements, what) in new[] { (_largestParameter.Name, (double)_largestParameter.Elements, "weights"),
                     (_largestActivation.Name, (double)_largestActivation.Elements * maxRows, $"output for {maxRows} rows") })
        {
            if (elements * BytesPerValue > device.MaxStorageBufferRange)
                throw new UserInputException($"model {model}, {name}: its {what} take {Mebibytes(elements * BytesPerValue)}; "
                    + $"{device.Name} binds at most {Mebibytes(device.MaxStorageBufferRange)} per buffer: make the layer smaller or lower --batch");
        }
    }

    private static string Mebibytes(double bytes) => $"{bytes / (1024.0 * 1024.0):N1} MiB";
}
