using VulkanAE.Core;
using VulkanAE.Kernels.Conv;

namespace VulkanAE.Models.Layers;

/// <summary>
/// torch.nn.Conv2d or, when transposed, torch.nn.ConvTranspose2d: square kernel, one stride and
/// padding for both axes, bias. Weights are [out, in, k, k] (conv) or [in, out, k, k] (transposed), as in PyTorch.
/// </summary>
internal sealed class ConvolutionLayer : Layer
{
    private readonly Parameter _weight;
    private readonly Parameter _bias;
    private readonly Conv2dShape _shape;
    private readonly Tensor? _workspace;

    public ConvolutionLayer(Gpu gpu, string name, TensorShape input, int outChannels, int kernel, int stride, int padding,
        int outputPadding, bool transposed, int maxRows, Random random, WeightInit init)
        : base(name, input, OutputShapeOf(name, input, outChannels, kernel, stride, padding, outputPadding, transposed))
    {
        _shape = ShapeFor(input, outChannels, kernel, stride, padding, outputPadding, transposed, batch: maxRows);
        // PyTorch's fan-in is weight.size(1) * k * k: input channels for a conv, output channels for a transposed conv.
        int fanIn = (transposed ? outChannels : input.Channels) * kernel * kernel;
        int fanOut = (transposed ? input.Channels : outChannels) * kernel * kernel;
        int[] weightShape = transposed ? [input.Channels, outChannels, kernel, kernel] : [outChannels, input.Channels, kernel, kernel];
        var (weight, bias) = Initialization.Draw(init, random, _shape.WeightLength, outChannels, fanIn, fanOut);
        _weight = new Parameter(gpu, name + ".weight", weightShape, weight);
        _bias = new Parameter(gpu, name + ".bias", [outChannels], bias);
        Output = gpu.CreateTensor(name + ".output", (long)maxRows * OutputFeatures);
        InputGradient = gpu.CreateTensor(name + ".input_grad", (long)maxRows * InputFeatures);
        long workspace = ConvLayer.BackwardWeightWorkspaceLength(gpu.Info, _shape);
        if (workspace > 0) _workspace = gpu.CreateTensor(name + ".weight_grad_workspace", workspace);
    }

    public override IReadOnlyList<Parameter> Parameters => [_weight, _bias];
    public override Tensor Output { get; }
    public override Tensor InputGradient { get; }

    private static Conv2dShape ShapeFor(TensorShape input, int outChannels, int kernel, int stride, int padding, int outputPadding, bool transposed, int batch)
        => new(batch, input.Channels, input.Height, input.Width, outChannels, kernel, stride, padding, outputPadding, transposed);

    /// <summary>The output shape of such a layer, or an exception naming it and its input.</summary>
    public static TensorShape OutputShapeOf(string name, TensorShape input, int outChannels, int kernel, int stride, int padding, int outputPadding, bool transposed)
    {
        var shape = ShapeFor(input, outChannels, kernel, stride, padding, outputPadding, transposed, batch: 1);
        try
        {
            shape.Validate(transposed);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{name} ({(transposed ? "conv-transpose2d" : "conv2d")} {outChannels} k{kernel} s{stride} p{padding}) on input {input}: {e.Message}", e);
        }
        return new TensorShape(outChannels, shape.OutHeight, shape.OutWidth);
    }

    public override void Forward(SequenceRecorder r, Tensor input, int rows)
        => ConvLayer.Forward(r, _shape with { Batch = rows }, input, _weight.Value, _bias.Value, Output);

    public override void Backward(SequenceRecorder r, Tensor input, Tensor outputGradient, int rows, bool inputGradient)
    {
        var s = _shape with { Batch = rows };
        ConvLayer.BackwardWeight(r, s, input, outputGradient, _weight.Gradient, _workspace);
        ConvLayer.BackwardBias(r, s, outputGradient, _bias.Gradient);
        if (inputGradient) ConvLayer.BackwardInput(r, s, outputGradient, _weight.Value, InputGradient);
    }

    public override void Dispose()
    {
        _weight.Dispose();
        _bias.Dispose();
        Output.Dispose();
        InputGradient.Dispose();
        _workspace?.Dispose();
    }
}
