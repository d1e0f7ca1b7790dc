using VulkanAE.Core;

namespace VulkanAE.Kernels.Conv;

/// <summary>
/// Either layer by its shape, and what Conv2dKernels and ConvTranspose2dKernels share: argument
/// checks against the shape, and the choice of variant and tiling before a pass of
/// <see cref="ConvPasses"/> is recorded.
/// </summary>
internal static class ConvLayer
{
    // The layer a shape describes (Conv2d or, when Transposed, ConvTranspose2d), for callers that
    // handle both alike: benchmarks, tests, a model's layer list.

    public static void Forward(SequenceRecorder r, Conv2dShape s, Tensor input, Tensor weight, Tensor bias, Tensor output, ConvVariant? variant = null)
    {
        if (s.Transposed) ConvTranspose2dKernels.Forward(r, s, input, weight, bias, output, variant);
        else Conv2dKernels.Forward(r, s, input, weight, bias, output, variant);
    }

    public static void BackwardInput(SequenceRecorder r, Conv2dShape s, Tensor outputGrad, Tensor weight, Tensor inputGrad, ConvVariant? variant = null)
    {
        if (s.Transposed) ConvTranspose2dKernels.BackwardInput(r, s, outputGrad, weight, inputGrad, variant);
        else Conv2dKernels.BackwardInput(r, s, outputGrad, weight, inputGrad, variant);
    }

    public static void BackwardWeight(SequenceRecorder r, Conv2dShape s, Tensor input, Tensor outputGrad, Tensor weightGrad,
        Tensor? workspace = null, ConvVariant? variant = null)
    {
        if (s.Transposed) ConvTranspose2dKernels.BackwardWeight(r, s, input, outputGrad, weightGrad, workspace, variant);
        else Conv2dKernels.BackwardWeight(r, s, input, outputGrad, weightGrad, workspace, variant);
    }

    public static void BackwardBias(SequenceRecorder r, Conv2dShape s, Tensor outputGrad, Tensor biasGrad)
    {
        if (s.Transposed) ConvTranspose2dKernels.BackwardBias(r, s, outputGrad, biasGrad);
        else Conv2dKernels.BackwardBias(r, s, outputGrad, biasGrad);
    }

    /// <summary>Elements of workspace that let BackwardWeight split the batch across the device (0: none needed).</summary>
    public static long BackwardWeightWorkspaceLength(DeviceInfo device, Conv2dShape s, ConvVariant? variant = null)
        => ConvPasses.WorkspaceLength(s, ConvPasses.DefaultWeightTiling(device, s, variant ?? ConvPasses.DefaultVariant(device)));

    public static void GatherOrScatter(SequenceRecorder r, Conv2dShape s, bool scatter, Tensor source, Tensor weight, Tensor? bias,
        Tensor destination, ConvVariant? variant)
    {
        var chosen = variant ?? ConvPasses.DefaultVariant(r.Gpu.Info);
        ConvPasses.GatherOrScatter(r, s, scatter, source, weight, bias, destination, chosen,
            ConvPasses.DefaultTiling(r.Gpu.Info, s, scatter, chosen));
    }

    /// <summary>The default weight tiling, with as many batch splits as the workspace holds (one without a workspace).</summary>
    public static void Correlate(SequenceRecorder r, Conv2dShape s, Tensor narrowGradient, Tensor wide, Tensor weightGradient,
        Tensor? workspace, ConvVariant? variant)
    {
        var chosen = variant ?? ConvPasses.DefaultVariant(r.Gpu.Info);
        var tiling = ConvPasses.DefaultWeightTiling(r.Gpu.Info, s, chosen);
        long fits = workspace is null ? 1 : Math.Max(1, workspace.Length / s.WeightLength);
        tiling = tiling with { Splits = (uint)Math.Min(tiling.Splits, fits) };
        ConvPasses.Correlate(r, s, narrowGradient, wide, weightGradient, workspace, chosen, tiling);
    }

    public static void BiasGradient(string op, SequenceRecorder r, Conv2dShape s, bool transposed, Tensor outputGrad, Tensor biasGrad)
    {
        s.Validate(transposed);
        ConvPasses.RequireLength(op, s, outputGrad, "output gradient", s.OutputLength);
        ConvPasses.RequireLength(op, s, biasGrad, "bias gradient", s.OutChannels);
        ConvPasses.BiasGradient(r, outputGrad, biasGrad, s.Batch, s.OutChannels, s.OutHeight * s.OutWidth);
    }

    public static void RequireForward(string op, Conv2dShape s, bool transposed, Tensor input, Tensor weight, Tensor bias, Tensor output)
    {
        s.Validate(transposed);
        ConvPasses.RequireLength(op, s, input, "input", s.InputLength);
        ConvPasses.RequireLength(op, s, weight, "weight", s.WeightLength);
        ConvPasses.RequireLength(op, s, bias, "bias", s.OutChannels);
        ConvPasses.RequireLength(op, s, output, "output", s.OutputLength);
    }

    public static void RequireBackwardInput(string op, Conv2dShape s, bool transposed, Tensor outputGrad, Tensor weight, Tensor inputGrad)
    {
        s.Validate(transposed);
        ConvPasses.RequireLength(op, s, outputGrad, "output gradient", s.OutputLength);
        ConvPasses.RequireLength(op, s, weight, "weight", s.WeightLength);
        ConvPasses.RequireLength(op, s, inputGrad, "input gradient", s.InputLength);
    }

    public static void RequireBackwardWeight(string op, Conv2dShape s, bool transposed, Tensor input, Tensor outputGrad, Tensor weightGrad)
    {
        s.Validate(transposed);
        ConvPasses.RequireLength(op, s, input, "input", s.InputLength);
        ConvPasses.RequireLength(op, s, outputGrad, "output gradient", s.OutputLength);
        ConvPasses.RequireLength(op, s, weightGrad, "weight gradient", s.WeightLength);
    }
}

/// <summary>
/// CPU reference of both layers' four ops. A layer's definition is the set of terms of its forward
/// sum as (input index, output index, weight index) triples (<see cref="Conv2dReference"/>,
/// <see cref="ConvTranspose2dReference"/>); each op accumulates the same terms into a different
/// tensor, in double.
/// </summary>
internal static class ConvReference
{
    private static Action<Conv2dShape, Action<int, int, int>> Terms(Conv2dShape s)
        => s.Transposed ? ConvTranspose2dReference.ForEachTerm : Conv2dReference.ForEachTerm;

    public static float[] Forward(Conv2dShape s, float[] input, float[] weight, float[] bias)
    {
        var y = new double[s.OutputLength];
        int pixels = s.OutHeight * s.OutWidth;
        for (int o = 0; o < y.Length; o++) y[o] = bias[o / pixels % s.OutChannels];
        Terms(s)(s, (i, o, w) => y[o] += (double)input[i] * weight[w]);
        return ToFloat(y);
    }

    public static float[] BackwardInput(Conv2dShape s, float[] outputGrad, float[] weight)
    {
        var dx = new double[s.InputLength];
        Terms(s)(s, (i, o, w) => dx[i] += (double)outputGrad[o] * weight[w]);
        return ToFloat(dx);
    }

    public static float[] BackwardWeight(Conv2dShape s, float[] input, float[] outputGrad)
    {
        var dw = new double[s.WeightLength];
        Terms(s)(s, (i, o, w) => dw[w] += (double)outputGrad[o] * input[i]);
        return ToFloat(dw);
    }

    public static float[] BackwardBias(Conv2dShape s, float[] outputGrad)
    {
        var db = new double[s.OutChannels];
        int pixels = s.OutHeight * s.OutWidth;
        for (int o = 0; o < s.OutputLength; o++) db[o / pixels % s.OutChannels] += outputGrad[o];
        return ToFloat(db);
    }

    private static float[] ToFloat(double[] values) => Array.ConvertAll(values, v => (float)v);
}
