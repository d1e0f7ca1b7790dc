using VulkanAE.Core;

namespace VulkanAE.Kernels.Conv;

/// <summary>
/// torch.nn.ConvTranspose2d on the GPU. x [N, Cin, H, W], w [Cin, Cout, k, k], bias [Cout],
/// y [N, Cout, Hout, Wout]. Its output is the "wide" image of conv.glsl, so it is Conv2d with
/// the passes swapped: forward = scatter, backward-input = gather, backward-weight = correlate(x, dy).
/// </summary>
internal static class ConvTranspose2dKernels
{
    private const string Op = "ConvTranspose2d";

    /// <summary>y = convT(x, w) + bias.</summary>
    public static void Forward(SequenceRecorder r, Conv2dShape s, Tensor input, Tensor weight, Tensor bias, Tensor output, ConvVariant? variant = null)
    {
        ConvLayer.RequireForward(Op, s, transposed: true, input, weight, bias, output);
        ConvLayer.GatherOrScatter(r, s, scatter: true, input, weight, bias, output, variant);
    }

    /// <summary>dx = the adjoint of the forward pass applied to dy (overwrites dx).</summary>
    public static void BackwardInput(SequenceRecorder r, Conv2dShape s, Tensor outputGrad, Tensor weight, Tensor inputGrad, ConvVariant? variant = null)
    {
        ConvLayer.RequireBackwardInput(Op, s, transposed: true, outputGrad, weight, inputGrad);
        ConvLayer.GatherOrScatter(r, s, scatter: false, outputGrad, weight, null, inputGrad, variant);
    }

    /// <summary>Elements of the workspace that lets <see cref="BackwardWeight"/> split the batch across the device (0: none needed).</summary>
    public static long BackwardWeightWorkspaceLength(DeviceInfo device, Conv2dShape s, ConvVariant? variant = null)
        => ConvLayer.BackwardWeightWorkspaceLength(device, s, variant);

    /// <summary>dw[ci, co, i, j] = sum over n, y, x of x[n, ci, y, x] * dy[n, co, y s - p + i, x s - p + j] (overwrites dw; deterministic).</summary>
    public static void BackwardWeight(SequenceRecorder r, Conv2dShape s, Tensor input, Tensor outputGrad, Tensor weightGrad,
        Tensor? workspace = null, ConvVariant? variant = null)
    {
        ConvLayer.RequireBackwardWeight(Op, s, transposed: true, input, outputGrad, weightGrad);
        ConvLayer.Correlate(r, s, narrowGradient: input, wide: outputGrad, weightGrad, workspace, variant);
    }

    /// <summary>dbias[co] = sum over n, y, x of dy[n, co, y, x] (overwrites; fixed order, no atomics).</summary>
    public static void BackwardBias(SequenceRecorder r, Conv2dShape s, Tensor outputGrad, Tensor biasGrad)
        => ConvLayer.BiasGradient(Op, r, s, transposed: true, outputGrad, biasGrad);
}

/// <summary>
/// The definition of ConvTranspose2d as the terms of its forward sum (each input pixel spreads
/// w[ci, co] over a k x k window of the output at stride s, as PyTorch defines it): the CPU
/// reference (<see cref="ConvReference"/>) of <see cref="ConvTranspose2dKernels"/> is built on it.
/// </summary>
internal static class ConvTranspose2dReference
{
    /// <summary>Calls visit(input index, output index, weight index) once for every term of y = convT(x, w).</summary>
    public static void ForEachTerm(Conv2dShape s, Action<int, int, int> visit)
    {
        int k = s.Kernel, hOut = s.OutHeight, wOut = s.OutWidth;
        for (int n = 0; n < s.Batch; n++)
            for (int ci = 0; ci < s.InChannels; ci++)
                for (int y = 0; y < s.InHeight; y++)
                    for (int x = 0; x < s.InWidth; x++)
                        for (int co = 0; co < s.OutChannels; co++)
                            for (int i = 0; i < k; i++)
                                for (int j = 0; j < k; j++)
                                {
                                    int oy = y * s.Stride - s.Padding + i, ox = x * s.Stride - s.Padding + j;
                                    if (oy < 0 || oy >= hOut || ox < 0 || ox >= wOut) continue;
                                    visit(((n * s.InChannels + ci) * s.InHeight + y) * s.InWidth + x,
                                        ((n * s.OutChannels + co) * hOut + oy) * wOut + ox,
                                        ((ci * s.OutChannels + co) * k + i) * k + j);
                                }
    }
}
