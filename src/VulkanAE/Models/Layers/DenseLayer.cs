using VulkanAE.Core;
using VulkanAE.Kernels.Activation;
using VulkanAE.Kernels.Dense;

namespace VulkanAE.Models.Layers;

/// <summary>
/// Y = X W^T + b with W [out, in] (PyTorch's Linear layout) and b [out]; any input shape is read
/// flattened. The matmul adds the bias itself, and with an <c>activation</c> stores activation(Y)
/// instead, for the <see cref="ActivationLayer"/> that follows (<see cref="ActivationLayer.AppliedBy"/>):
/// the forward pass is one dispatch.
/// </summary>
internal sealed class DenseLayer : Layer, IAbsorbsActivationBackward
{
    private readonly Parameter _weight;
    private readonly Parameter _bias;
    private readonly ActivationKind _activation;

    public DenseLayer(Gpu gpu, string name, TensorShape input, int outputs, int maxRows, Random random, WeightInit init, ParameterArenaBuilder parameters,
        ActivationKind activation = ActivationKind.Identity)
        : base(name, input, TensorShape.Vector(outputs))
    {
        _activation = activation;
        int inputs = input.Size;
        var (weight, bias) = Initialization.Draw(init, random, outputs * inputs, outputs, fanIn: inputs, fanOut: outputs);
        _weight = parameters.Declare(name + ".weight", [outputs, inputs], weight);
        _bias = parameters.Declare(name + ".bias", [outputs], bias);
        Output = gpu.CreateTensor(name + ".output", (long)maxRows * outputs);
        InputGradient = gpu.CreateTensor(name + ".input_grad", (long)maxRows * inputs);
    }

    public override IReadOnlyList<Parameter> Parameters => [_weight, _bias];
    public override Tensor Output { get; }
    public override Tensor InputGradient { get; }

    public override void Forward(SequenceRecorder r, Tensor input, int rows)
    {
        // Y[rows, out] = activation(X[rows, in] . W^T + b)
        MatmulKernels.Multiply(r, input, _weight.Value, Output, rows, OutputFeatures, InputFeatures, transposeA: false, transposeB: true,
            epilogue: new MatmulEpilogue(_bias.Value, _activation));
    }

    public override void Backward(SequenceRecorder r, Tensor input, Tensor outputGradient, int rows, bool inputGradient)
    {
        // db[out] = column sums of dY
        BiasKernels.Gradient(r, outputGradient, _bias.Gradient, rows, OutputFeatures);
        BackwardProducts(r, input, outputGradient, rows, inputGradient);
    }

    public void BackwardThroughActivation(SequenceRecorder r, Tensor input, ActivationLayer activation, Tensor activationOutputGradient, int rows,
        bool inputGradient)
    {
        // dY = dA * f'(A) for A = f(Y) the activation's output, and db[out] = column sums of dY, in one pass
        var outputGradient = activation.InputGradient;
        BiasKernels.GradientThroughActivation(r, activation.Kind, activation.Output, activationOutputGradient, outputGradient, _bias.Gradient,
            rows, OutputFeatures);
        BackwardProducts(r, input, outputGradient, rows, inputGradient);
    }

    private void BackwardProducts(SequenceRecorder r, Tensor input, Tensor outputGradient, int rows, bool inputGradient)
    {
        // dW[out, in] = dY^T . X ; dX[rows, in] = dY . W
        MatmulKernels.Multiply(r, outputGradient, input, _weight.Gradient, OutputFeatures, InputFeatures, rows, transposeA: true, transposeB: false);
        if (inputGradient)
            MatmulKernels.Multiply(r, outputGradient, _weight.Value, InputGradient, rows, InputFeatures, OutputFeatures, transposeA: false, transposeB: false);
    }

    public override void Dispose()
    {
        Output.Dispose();
        InputGradient.Dispose();
    }
}
