using VulkanAE.Core;

namespace VulkanAE.Kernels.Conv;

/// <summary>
/// torch.nn.Conv2d on the GPU. x [N, Cin, H, W], w [Cout, Cin, k, k], bias [Cout], y [N, Cout, Hout, Wout].
/// Its input is the "wide" image of conv.glsl, so: forward = gather, backward-input = scatter,
/// backward-weight = correlate(dy, x).
/// </summary>
internal static class Conv2dKernels
{
    private const string Op = "Conv2d";

    /// <summary>y = conv(x, w) + bias.</summary>
    public static void Forward(SequenceRecorder r, Conv2dShape s, Tensor input, Tensor weight, Tensor bias, Tensor output, ConvVariant? variant = null)
    {
        ConvLayer.RequireForward(Op, s, transposed: false, input, weight, bias, output);
        ConvLayer.GatherOrScatter(r, s, scatter: false, input, weight, bias, output, variant);
    }

    /// <summary>dx = the adjoint of the forward pass applied to dy (overwrites dx).</summary>
    public static void BackwardInput(SequenceRecorder r, Conv2dShape s, Tensor outputGrad, Tensor weight, Tensor inputGrad, ConvVariant? variant = null)
    {
        ConvLayer.RequireBackwardInput(Op, s, transposed: false, outputGrad, weight, inputGrad);
        ConvLayer.GatherOrScatter(r, s, scatter: true, outputGrad, weight, null, inputGrad, variant);
    }

    /// <summary>Elements of the workspace that lets <see cref="BackwardWeight"/> split the batch across the device (0: none needed).</summary>
    public static long BackwardWeightWorkspaceLength(DeviceInfo device, Conv2dShape s, ConvVariant? variant = null)
        => ConvLayer.BackwardWeightWorkspaceLength(device, s, variant);

    /// <summary>dw[co, ci, i, j] = sum over n, y, x of dy[n, co, y, x] * x[n, ci, y s - p + i, x s - p + j] (overwrites dw; deterministic).</summary>
    public static void BackwardWeight(SequenceRecorder r, Conv2dShape s, Tensor input, Tensor outputGrad, Tensor weightGrad,
        Tensor? workspace = null, ConvVariant? variant = null)
    {
        ConvLayer.RequireBackwardWeight(Op, s, transposed: false, input, outputGrad, weightGrad);
        ConvLayer.Correlate(r, s, narrowGradient: outputGrad, wide: input, weightGrad, workspace, variant);
    }

    /// <summary>dbias[co] = sum over n, y, x of dy[n, co, y, x] (overwrites; fixed order, no atomics).</summary>
    public static void BackwardBias(SequenceRecorder r, Conv2dShape s, Tensor outputGrad, Tensor biasGrad)
        => ConvLayer.BiasGradient(Op, r, s, transposed: false, outputGrad, biasGrad);
}

/// <summary>The definition of Conv2d as the terms of its forward sum: the CPU reference (<see cref="ConvReference"/>) of <see cref="Conv2dKernels"/> is built on it.</summary>
internal static class Conv2dReference
{
    /// <summary>Calls visit(input index, output index, weight index) once for every term of y = conv(x, w).</summary>
    public static void ForEachTerm(Conv2dShape s, Action<int, int, int> visit)
    {
        int k = s.Kernel, hOut = s.OutHeight, wOut = s.OutWidth;
        for (int n = 0; n < s.Batch; n++)
            for (int co = 0; co < s.OutChannels; co++)
                for (int y = 0; y < hOut; y++)
                    for (int x = 0; x < wOut; x++)
                        for (int ci = 0; ci < s.InChannels; ci++)
                            for (int i = 0; i < k; i++)
                                for (int j = 0; j < k; j++)
                                {
                                    int iy = y * s.Stride - s.Padding + i, ix = x * s.Stride - s.Padding + j;
                                    if (iy < 0 || iy >= s.InHeight || ix < 0 || ix >= s.InWidth) continue;
                                    visit(((n * s.InChannels + ci) * s.InHeight + iy) * s.InWidth + ix,
                                        ((n * s.OutChannels + co) * hOut + y) * wOut + x,
                                        ((co * s.InChannels + ci) * k + i) * k + j);
                                }
    }
}
