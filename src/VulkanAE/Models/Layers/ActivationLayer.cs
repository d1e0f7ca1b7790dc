using VulkanAE.Core;
using VulkanAE.Kernels.Activation;

namespace VulkanAE.Models.Layers;

/// <summary>
/// An elementwise activation; its backward needs only its own output. When the layer before it
/// applies it already (<see cref="AppliedBy"/>: a convolution stores its ReLU's output), its
/// forward records nothing and its output is that layer's.
/// </summary>
internal sealed class ActivationLayer : Layer
{
    private readonly bool _applied;

    public ActivationLayer(Gpu gpu, string name, ActivationKind kind, TensorShape shape, int maxRows) : base(name, shape, shape)
    {
        Kind = kind;
        Output = gpu.CreateTensor(name + ".output", (long)maxRows * shape.Size);
        InputGradient = gpu.CreateTensor(name + ".input_grad", (long)maxRows * shape.Size);
    }

    private ActivationLayer(Gpu gpu, string name, ActivationKind kind, Layer producer, int maxRows) : base(name, producer.OutputShape, producer.OutputShape)
    {
        Kind = kind;
        Output = producer.Output;
        InputGradient = gpu.CreateTensor(name + ".input_grad", (long)maxRows * producer.OutputShape.Size);
        _applied = true;
    }

    /// <summary>The activation of <paramref name="producer"/>'s output, which <paramref name="producer"/> applies itself.</summary>
    public static ActivationLayer AppliedBy(Gpu gpu, string name, ActivationKind kind, Layer producer, int maxRows)
        => new(gpu, name, kind, producer, maxRows);

    public ActivationKind Kind { get; }
    public override Tensor Output { get; }
    public override Tensor InputGradient { get; }

    public override void Forward(SequenceRecorder r, Tensor input, int rows)
    {
        if (!_applied) ActivationKernels.Forward(r, Kind, input, Output, (long)rows * OutputFeatures);
    }

    public override void Backward(SequenceRecorder r, Tensor input, Tensor outputGradient, int rows, bool inputGradient)
    {
        if (inputGradient) ActivationKernels.Backward(r, Kind, Output, outputGradient, InputGradient, (long)rows * OutputFeatures);
    }

    public override void Dispose()
    {
        if (!_applied) Output.Dispose();
        InputGradient.Dispose();
    }
}
