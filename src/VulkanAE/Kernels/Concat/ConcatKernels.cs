using VulkanAE.Core;

namespace VulkanAE.Kernels.Concat;

/// <summary>
/// A class label joined to each row, and its backward: shaders/concat/*.comp. The label arrives as
/// a float per row (whole numbers), one-hot encoded as it is joined, so no one-hot tensor is stored.
/// </summary>
internal static class ConcatKernels
{
    private readonly record struct Push(uint Rows, uint Features, uint Classes);

    private static readonly KernelSignature<WorkgroupConstants> ConcatSignature
        = KernelSignature.Of<Push, WorkgroupConstants>("concat/concat_one_hot", Access.Read, Access.Read, Access.Write);
    private static readonly KernelSignature<WorkgroupConstants> SplitSignature
        = KernelSignature.Of<Push, WorkgroupConstants>("concat/split_leading_columns", Access.Read, Access.Write);

    /// <summary>joined[r, :] = [x[r, :] | one_hot(labels[r], classes)], [rows, features + classes].</summary>
    public static void ConcatOneHot(SequenceRecorder r, Tensor x, Tensor labels, Tensor joined, int rows, int features, int classes)
    {
        long count = (long)rows * (features + classes);
        if (x.Length < (long)rows * features || labels.Length < rows || joined.Length < count)
            throw new ArgumentException($"ConcatOneHot: {x}, {labels} or {joined} too short for {rows} rows of {features} + {classes}");
        var kernel = r.Gpu.Kernel(ConcatSignature, new WorkgroupConstants(LinearDispatch.WorkgroupSize));
        r.Dispatch(kernel, LinearDispatch.Groups(r.Gpu, count), new Push((uint)rows, (uint)features, (uint)classes),
            CommandWork.MovingFloats((double)rows * features + rows + count), x, labels, joined);
    }

    /// <summary>dx[r, :] = dJoined[r, :features]: the gradient of <see cref="ConcatOneHot"/>'s x.</summary>
    public static void SplitLeadingColumns(SequenceRecorder r, Tensor joinedGradient, Tensor inputGradient, int rows, int features, int classes)
    {
        long count = (long)rows * features;
        if (joinedGradient.Length < (long)rows * (features + classes) || inputGradient.Length < count)
            throw new ArgumentException($"SplitLeadingColumns: {joinedGradient} or {inputGradient} too short for {rows} rows of {features} + {classes}");
        var kernel = r.Gpu.Kernel(SplitSignature, new WorkgroupConstants(LinearDispatch.WorkgroupSize));
        r.Dispatch(kernel, LinearDispatch.Groups(r.Gpu, count), new Push((uint)rows, (uint)features, (uint)classes),
            CommandWork.MovingFloats(2.0 * count), joinedGradient, inputGradient);
    }
}

/// <summary>CPU reference of <see cref="ConcatKernels"/>.</summary>
internal static class ConcatReference
{
    public static float[] ConcatOneHot(ReadOnlySpan<float> x, ReadOnlySpan<int> labels, int rows, int features, int classes)
    {
        int width = features + classes;
        var joined = new float[rows * width];
        for (int r = 0; r < rows; r++)
        {
            x.Slice(r * features, features).CopyTo(joined.AsSpan(r * width));
            joined[r * width + features + labels[r]] = 1;
        }
        return joined;
    }

    public static float[] SplitLeadingColumns(ReadOnlySpan<float> joinedGradient, int rows, int features, int classes)
    {
        var gradient = new float[rows * features];
        for (int r = 0; r < rows; r++) joinedGradient.Slice(r * (features + classes), features).CopyTo(gradient.AsSpan(r * features));
        return gradient;
    }
}
