using VulkanAE.Core;
using VulkanAE.Kernels.Pool;

namespace VulkanAE.Models.Layers;

/// <summary>2x2 max pooling (stride 2, odd sizes rounded down) or nearest-neighbour 2x upsampling.</summary>
internal sealed class ResamplingLayer : Layer
{
    public ResamplingLayer(Gpu gpu, string name, TensorShape input, bool upsample, int maxRows)
        : base(name, input, OutputShapeOf(name, input, upsample))
    {
        Upsample = upsample;
        Output = gpu.CreateTensor(name + ".output", (long)maxRows * OutputFeatures);
        InputGradient = gpu.CreateTensor(name + ".input_grad", (long)maxRows * InputFeatures);
    }

    public bool Upsample { get; }

    public static TensorShape OutputShapeOf(string name, TensorShape input, bool upsample)
    {
        if (upsample) return input with { Height = input.Height * 2, Width = input.Width * 2 };
        if (input.Height < 2 || input.Width < 2) throw new ArgumentException($"{name} (maxpool2): input {input} has no complete 2x2 window");
        return input with { Height = input.Height / 2, Width = input.Width / 2 };
    }
    public override Tensor Output { get; }
    public override Tensor InputGradient { get; }

    public override void Forward(SequenceRecorder r, Tensor input, int rows)
    {
        var (c, h, w) = (InputShape.Channels, InputShape.Height, InputShape.Width);
        if (Upsample) PoolKernels.Upsample2xForward(r, input, Output, rows, c, h, w);
        else PoolKernels.MaxPool2x2Forward(r, input, Output, rows, c, h, w);
    }

    public override void Backward(SequenceRecorder r, Tensor input, Tensor outputGradient, int rows, bool inputGradient)
    {
        if (!inputGradient) return;
        var (c, h, w) = (InputShape.Channels, InputShape.Height, InputShape.Width);
        if (Upsample) PoolKernels.Upsample2xBackward(r, outputGradient, InputGradient, rows, c, h, w);
        else PoolKernels.MaxPool2x2Backward(r, input, outputGradient, InputGradient, rows, c, h, w);
    }

    public override void Dispose()
    {
        Output.Dispose();
        InputGradient.Dispose();
    }
}
