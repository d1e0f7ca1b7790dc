using VulkanAE.Core;
using VulkanAE.Kernels.Activation;

namespace VulkanAE.Models.Layers;

/// <summary>An elementwise activation; its backward needs only its own output.</summary>
internal sealed class ActivationLayer : Layer
{
    public ActivationLayer(Gpu gpu, string name, ActivationKind kind, TensorShape shape, int maxRows) : base(name, shape, shape)
    {
        Kind = kind;
        Output = gpu.CreateTensor(name + ".output", (long)maxRows * shape.Size);
        InputGradient = gpu.CreateTensor(name + ".input_grad", (long)maxRows * shape.Size);
    }

    public ActivationKind Kind { get; }
    public override Tensor Output { get; }
    public override Tensor InputGradient { get; }

    public override void Forward(SequenceRecorder r, Tensor input, int rows)
        => ActivationKernels.Forward(r, Kind, input, Output, (long)rows * OutputFeatures);

    public override void Backward(SequenceRecorder r, Tensor input, Tensor outputGradient, int rows, bool inputGradient)
    {
        if (inputGradient) ActivationKernels.Backward(r, Kind, Output, outputGradient, InputGradient, (long)rows * OutputFeatures);
    }

    public override void Dispose()
    {
        Output.Dispose();
        InputGradient.Dispose();
    }
}
