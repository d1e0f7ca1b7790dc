using VulkanAE.Core;
using VulkanAE.Kernels.Activation;
using VulkanAE.Tuning;

namespace VulkanAE.Kernels.Conv;

/// <summary>
/// torch.nn.Conv2d and, for a shape with Transposed set, torch.nn.ConvTranspose2d on the GPU:
/// x [N, Cin, H, W], bias [Cout], y [N, Cout, Hout, Wout]; w [Cout, Cin, k, k] for Conv2d,
/// [Cin, Cout, k, k] for ConvTranspose2d. Each op checks its tensors against the shape, then records
/// one of the passes of <see cref="ConvPasses"/> with the device's kernel choice for the shape
/// (Tuning/; else the default variant and tiling) unless a variant is given. Conv2d's input is the "wide" image of conv.glsl, ConvTranspose2d's
/// its output, so the two layers are the same passes swapped:
/// <code>
///                   Conv2d                  ConvTranspose2d
/// forward           gather                  scatter
/// backward-input    scatter                 gather
/// backward-weight   correlate(dy, x)        correlate(x, dy)
/// </code>
/// The CPU reference of every op is <see cref="ConvReference"/>.
/// </summary>
internal static class ConvKernels
{
    /// <summary>y = activation(conv(x, w) + bias).</summary>
    public static void Forward(SequenceRecorder r, Conv2dShape s, Tensor input, Tensor weight, Tensor bias, Tensor output, ConvVariant? variant = null,
        ActivationKind activation = ActivationKind.Identity)
    {
        Require(s, (input, "input", s.InputLength), (weight, "weight", s.WeightLength), (bias, "bias", s.OutChannels), (output, "output", s.OutputLength));
        GatherOrScatter(r, s, scatter: s.Transposed, input, weight, bias, output, variant, activation);
    }

    /// <summary>dx = the adjoint of the forward pass applied to dy (overwrites dx).</summary>
    public static void BackwardInput(SequenceRecorder r, Conv2dShape s, Tensor outputGrad, Tensor weight, Tensor inputGrad, ConvVariant? variant = null)
    {
        Require(s, (outputGrad, "output gradient", s.OutputLength), (weight, "weight", s.WeightLength), (inputGrad, "input gradient", s.InputLength));
        GatherOrScatter(r, s, scatter: !s.Transposed, outputGrad, weight, null, inputGrad, variant);
    }

    /// <summary>Elements of the workspace that lets <see cref="BackwardWeight"/> split the batch across the device (0: none needed).</summary>
    public static long BackwardWeightWorkspaceLength(DeviceInfo device, Conv2dShape s, ConvVariant? variant = null)
        => ConvPasses.WorkspaceLength(s, ConvPasses.DefaultWeightTiling(device, s, variant ?? ConvPasses.DefaultVariant(device)));

    /// <summary>
    /// Conv2d: dw[co, ci, i, j] = sum over n, y, x of dy[n, co, y, x] * x[n, ci, y s - p + i, x s - p + j];
    /// ConvTranspose2d: dw[ci, co, i, j] = sum over n, y, x of x[n, ci, y, x] * dy[n, co, y s - p + i, x s - p + j].
    /// Overwrites dw, deterministically, with as many batch splits as the choice (or the device's
    /// default) asks and the workspace holds (one without a workspace).
    /// </summary>
    public static void BackwardWeight(SequenceRecorder r, Conv2dShape s, Tensor input, Tensor outputGrad, Tensor weightGrad,
        Tensor? workspace = null, ConvVariant? variant = null)
    {
        Require(s, (input, "input", s.InputLength), (outputGrad, "output gradient", s.OutputLength), (weightGrad, "weight gradient", s.WeightLength));
        uint fits = (uint)(workspace is null ? 1 : Math.Max(1, workspace.Length / s.WeightLength));
        var (chosen, tiling) = variant is { } given
            ? new ConvWeightChoice(given, ConvPasses.DefaultWeightTiling(r.Gpu.Info, s, given))
            : r.Gpu.KernelChoices.Choose(r.Gpu.Info, new ConvWeightTunable(s, fits));
        var (narrowGradient, wide) = s.Transposed ? (input, outputGrad) : (outputGrad, input);
        ConvPasses.Correlate(r, s, narrowGradient, wide, weightGrad, workspace, chosen, tiling with { Splits = Math.Min(tiling.Splits, fits) });
    }

    /// <summary>dbias[co] = sum over n, y, x of dy[n, co, y, x] (overwrites; fixed order, no atomics).</summary>
    public static void BackwardBias(SequenceRecorder r, Conv2dShape s, Tensor outputGrad, Tensor biasGrad)
    {
        Require(s, (outputGrad, "output gradient", s.OutputLength), (biasGrad, "bias gradient", s.OutChannels));
        ConvPasses.BiasGradient(r, outputGrad, biasGrad, s.Batch, s.OutChannels, s.OutHeight * s.OutWidth);
    }

    private static void GatherOrScatter(SequenceRecorder r, Conv2dShape s, bool scatter, Tensor source, Tensor weight, Tensor? bias,
        Tensor destination, ConvVariant? variant, ActivationKind activation = ActivationKind.Identity)
    {
        var (chosen, tiling) = variant is { } given
            ? new ConvPassChoice(given, ConvPasses.DefaultTiling(r.Gpu.Info, s, scatter, given))
            : r.Gpu.KernelChoices.Choose(r.Gpu.Info, new ConvPassTunable(s, scatter));
        ConvPasses.GatherOrScatter(r, s, scatter, source, weight, bias, destination, chosen, tiling, activation);
    }

    /// <summary>Throws, naming the layer and the tensor to fix, unless the shape is valid and every tensor long enough for it.</summary>
    private static void Require(Conv2dShape s, params (Tensor Tensor, string Role, long Needed)[] tensors)
    {
        s.Validate();
        foreach (var (tensor, role, needed) in tensors) ConvPasses.RequireLength(s.Layer, s, tensor, role, needed);
    }
}
