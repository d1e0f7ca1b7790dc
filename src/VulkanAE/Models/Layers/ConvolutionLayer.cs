using VulkanAE.Core;
using VulkanAE.Kernels.Activation;
using VulkanAE.Kernels.Conv;

namespace VulkanAE.Models.Layers;

/// <summary>
/// torch.nn.Conv2d or, when the shape is transposed, torch.nn.ConvTranspose2d: square kernel, one
/// stride and padding for both axes, bias. Weights are [out, in, k, k] (conv) or [in, out, k, k]
/// (transposed), as in PyTorch. With an <c>activation</c>, the forward pass stores
/// activation(conv) instead, for the <see cref="ActivationLayer"/> that follows
/// (<see cref="ActivationLayer.AppliedBy"/>).
/// </summary>
internal sealed class ConvolutionLayer : Layer
{
    private readonly Parameter _weight;
    private readonly Parameter _bias;
    private readonly Conv2dShape _shape;
    private readonly Tensor? _workspace;
    private readonly ActivationKind _activation;

    /// <param name="shape">The layer at its largest batch (the most rows it records).</param>
    public ConvolutionLayer(Gpu gpu, string name, Conv2dShape shape, Random random, WeightInit init, ParameterArenaBuilder parameters,
        ActivationKind activation = ActivationKind.Identity)
        : base(name, new TensorShape(shape.InChannels, shape.InHeight, shape.InWidth), OutputShapeOf(name, shape))
    {
        _shape = shape;
        _activation = activation;
        // PyTorch's fan-in is weight.size(1) * k * k: input channels for a conv, output channels for a transposed conv.
        int kernelArea = shape.Kernel * shape.Kernel;
        int fanIn = (shape.Transposed ? shape.OutChannels : shape.InChannels) * kernelArea;
        int fanOut = (shape.Transposed ? shape.InChannels : shape.OutChannels) * kernelArea;
        int[] weightShape = shape.Transposed
            ? [shape.InChannels, shape.OutChannels, shape.Kernel, shape.Kernel]
            : [shape.OutChannels, shape.InChannels, shape.Kernel, shape.Kernel];
        var (weight, bias) = Initialization.Draw(init, random, shape.WeightLength, shape.OutChannels, fanIn, fanOut);
        _weight = parameters.Declare(name + ".weight", weightShape, weight);
        _bias = parameters.Declare(name + ".bias", [shape.OutChannels], bias);
        Output = gpu.CreateTensor(name + ".output", (long)shape.Batch * OutputFeatures);
        InputGradient = gpu.CreateTensor(name + ".input_grad", (long)shape.Batch * InputFeatures);
        long workspace = ConvKernels.BackwardWeightWorkspaceLength(gpu.Info, shape);
        if (workspace > 0) _workspace = gpu.CreateTensor(name + ".weight_grad_workspace", workspace);
    }

    public override IReadOnlyList<Parameter> Parameters => [_weight, _bias];
    public override Tensor Output { get; }
    public override Tensor InputGradient { get; }

    /// <summary>The output shape of a sample through such a layer, or an exception naming the layer and its input.</summary>
    public static TensorShape OutputShapeOf(string name, Conv2dShape shape)
    {
        try
        {
            shape.Validate();
        }
        catch (ArgumentException e)
        {
            var input = new TensorShape(shape.InChannels, shape.InHeight, shape.InWidth);
            throw new ArgumentException($"{name} ({(shape.Transposed ? "conv-transpose2d" : "conv2d")} {shape.OutChannels} k{shape.Kernel} " +
                $"s{shape.Stride} p{shape.Padding}) on input {input}: {e.Message}", e);
        }
        return new TensorShape(shape.OutChannels, shape.OutHeight, shape.OutWidth);
    }

    public override void Forward(SequenceRecorder r, Tensor input, int rows)
        => ConvKernels.Forward(r, _shape with { Batch = rows }, input, _weight.Value, _bias.Value, Output, activation: _activation);

    public override void Backward(SequenceRecorder r, Tensor input, Tensor outputGradient, int rows, bool inputGradient)
    {
        var s = _shape with { Batch = rows };
        ConvKernels.BackwardWeight(r, s, input, outputGradient, _weight.Gradient, _workspace);
        ConvKernels.BackwardBias(r, s, outputGradient, _bias.Gradient);
        if (inputGradient) ConvKernels.BackwardInput(r, s, outputGradient, _weight.Value, InputGradient);
    }

    public override void Dispose()
    {
        Output.Dispose();
        InputGradient.Dispose();
        _workspace?.Dispose();
    }
}
