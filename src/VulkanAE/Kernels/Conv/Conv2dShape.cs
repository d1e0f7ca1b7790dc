namespace VulkanAE.Kernels.Conv;

/// <summary>
/// The shape of a Conv2d (or, with <paramref name="Transposed"/>, a ConvTranspose2d) layer over
/// NCHW activations, square kernel, same stride and padding on both axes, PyTorch semantics:
/// conv out = (in + 2p - k) / s + 1, transposed out = (in - 1) s - 2p + k + output_padding.
/// Weights are [OutChannels, InChannels, k, k] for Conv2d and [InChannels, OutChannels, k, k]
/// for ConvTranspose2d, as in torch.nn; bias is [OutChannels].
/// </summary>
internal readonly record struct Conv2dShape(int Batch, int InChannels, int InHeight, int InWidth, int OutChannels,
    int Kernel, int Stride, int Padding, int OutputPadding = 0, bool Transposed = false)
{
    public int OutHeight => OutSize(InHeight);
    public int OutWidth => OutSize(InWidth);

    public int InputLength => Batch * InChannels * InHeight * InWidth;
    public int OutputLength => Batch * OutChannels * OutHeight * OutWidth;
    public int WeightLength => InChannels * OutChannels * Kernel * Kernel;

    /// <summary>Multiply-adds of the forward pass times 2 (each backward pass does as many).</summary>
    public double Flops => 2.0 * Batch * InChannels * OutChannels * Kernel * Kernel
        * (Transposed ? InHeight * InWidth : OutHeight * OutWidth);

    /// <summary>Computed in 64 bits and clamped, so a declared shape too large for an int reads as too large rather than wrapping.</summary>
    private int OutSize(int size) => (int)Math.Clamp(Transposed
        ? (size - 1L) * Stride - 2L * Padding + Kernel + OutputPadding
        : Stride < 1 ? 0 : (size + 2L * Padding - Kernel) / Stride + 1, int.MinValue, int.MaxValue);

    /// <summary>The declared fields only: the derived sizes are not printed, as they mean nothing for an invalid shape.</summary>
    public override string ToString() => $"batch {Batch}, input {InChannels}x{InHeight}x{InWidth}, {OutChannels} output channels, "
        + $"kernel {Kernel}, stride {Stride}, padding {Padding}, output padding {OutputPadding}";

    /// <summary>The layer this shape describes, as torch.nn names it.</summary>
    public string Layer => Transposed ? "ConvTranspose2d" : "Conv2d";

    /// <summary>Throws, naming the field to fix, unless the shape is a valid layer.</summary>
    internal void Validate()
    {
        if (Batch < 1 || InChannels < 1 || OutChannels < 1 || InHeight < 1 || InWidth < 1 || Kernel < 1 || Stride < 1 || Padding < 0)
            throw new ArgumentException($"{Layer} {this}: batch, channels, sizes, kernel and stride must be positive and padding non-negative.");
        if (OutputPadding < 0 || OutputPadding >= Math.Max(Stride, 1) || (!Transposed && OutputPadding != 0))
            throw new ArgumentException($"{Layer} {this}: OutputPadding must be 0 for Conv2d and below Stride for ConvTranspose2d.");
        if (OutHeight < 1 || OutWidth < 1)
            throw new ArgumentException($"{Layer} {this}: the output would be {OutHeight}x{OutWidth}; the kernel exceeds the padded input.");
    }
}
