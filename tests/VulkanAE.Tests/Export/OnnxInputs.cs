using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using VulkanAE.Export;
using VulkanAE.Kernels.Concat;

namespace VulkanAE.Tests.Export;

/// <summary>Inputs of an exported model's graphs, as ONNX Runtime takes them.</summary>
internal static class OnnxInputs
{
    public static NamedOnnxValue Tensor(string name, float[] values, int[] dims) => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(values, dims));

    /// <summary>A conditional model's label input [labels.Length, classes]: the reference join of no features and the one-hot class, row by row.</summary>
    public static NamedOnnxValue Label(int[] labels, int classes)
        => Tensor(OnnxExport.LabelName, ConcatReference.ConcatOneHot([], labels, labels.Length, features: 0, classes), [labels.Length, classes]);
}
