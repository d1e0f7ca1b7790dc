using VulkanAE.Core;

namespace VulkanAE.Models.Layers;

/// <summary>
/// One layer of a sequential network, recorded into a <see cref="SequenceRecorder"/>. Each
/// layer owns its output and the gradient with respect to its input, sized for the largest
/// batch, and records forward and backward for any batch up to that size.
/// Tensors hold a batch of samples row-major: sample r's features at r * features.
/// </summary>
internal abstract class Layer : IDisposable
{
    protected Layer(string name, TensorShape inputShape, TensorShape outputShape)
    {
        Name = name;
        InputShape = inputShape;
        OutputShape = outputShape;
    }

    public string Name { get; }
    public TensorShape InputShape { get; }
    public TensorShape OutputShape { get; }
    public int InputFeatures => InputShape.Size;
    public int OutputFeatures => OutputShape.Size;
    public virtual IReadOnlyList<Parameter> Parameters => [];

    /// <summary>The forward output, [maxRows, OutputFeatures].</summary>
    public abstract Tensor Output { get; }

    /// <summary>dLoss/dInput, [maxRows, InputFeatures].</summary>
    public abstract Tensor InputGradient { get; }

    public abstract void Forward(SequenceRecorder r, Tensor input, int rows);

    /// <summary>
    /// Records the parameter gradients and, when <paramref name="inputGradient"/> is set, dLoss/dInput
    /// into <see cref="InputGradient"/>. The first layer of a network skips the latter.
    /// </summary>
    public abstract void Backward(SequenceRecorder r, Tensor input, Tensor outputGradient, int rows, bool inputGradient);

    public abstract void Dispose();
}
