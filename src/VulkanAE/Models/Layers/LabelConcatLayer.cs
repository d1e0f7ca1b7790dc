using VulkanAE.Core;
using VulkanAE.Kernels.Concat;

namespace VulkanAE.Models.Layers;

/// <summary>
/// A conditional VAE's label input: each row of its input with the one-hot code of the row's class
/// joined after it, [rows, features + classes]. The classes are the model's shared label tensor
/// (<see cref="Autoencoder.Labels"/>), which the trainer or the inference fills for each batch.
/// Backward hands on the gradient of the input's columns only.
/// </summary>
internal sealed class LabelConcatLayer : Layer
{
    private readonly Tensor _labels;

    public LabelConcatLayer(Gpu gpu, string name, TensorShape input, int classes, Tensor labels, int maxRows)
        : base(name, TensorShape.Vector(input.Size), TensorShape.Vector(input.Size + classes))
    {
        Classes = classes;
        _labels = labels;
        Output = gpu.CreateTensor(name + ".output", (long)maxRows * OutputFeatures);
        InputGradient = gpu.CreateTensor(name + ".input_grad", (long)maxRows * InputFeatures);
    }

    public int Classes { get; }
    public override Tensor Output { get; }
    public override Tensor InputGradient { get; }

    public override void Forward(SequenceRecorder r, Tensor input, int rows)
        => ConcatKernels.ConcatOneHot(r, input, _labels, Output, rows, InputFeatures, Classes);

    public override void Backward(SequenceRecorder r, Tensor input, Tensor outputGradient, int rows, bool inputGradient)
    {
        if (inputGradient) ConcatKernels.SplitLeadingColumns(r, outputGradient, InputGradient, rows, InputFeatures, Classes);
    }

    public override void Dispose()
    {
        Output.Dispose();
        InputGradient.Dispose();
    }
}
