using VulkanAE.Core;
using VulkanAE.Kernels.Conv;

namespace VulkanAE.Tests.Kernels.Conv;

/// <summary>
/// Shapes and helpers shared by the convolution tests: odd batch, channel and image sizes (no
/// multiple of a tile), every kernel/stride/padding the models use, and the references.
/// </summary>
internal static class ConvTestCases
{
    public static readonly Conv2dShape[] Shapes =
    [
        // Conv2d: batch, in channels, H, W, out channels, kernel, stride, padding
        new(1, 1, 7, 7, 3, 3, 1, 1),
        new(3, 3, 13, 11, 5, 3, 1, 1),
        new(3, 5, 28, 28, 3, 3, 1, 1),
        new(1, 3, 7, 7, 17, 3, 1, 1),
        new(3, 5, 7, 7, 5, 3, 1, 0),
        new(3, 3, 13, 11, 5, 3, 2, 1),
        new(1, 5, 28, 28, 1, 3, 2, 1),
        new(3, 3, 13, 11, 5, 4, 2, 1),
        new(1, 1, 28, 28, 5, 4, 2, 1),
        // More channels than a CPU tile holds (32), the last tile partly empty.
        new(2, 3, 9, 6, 37, 3, 1, 1),
        // Every tensor a multiple of 4 long, so the passes may read rows as vec4 groups (others: element by element).
        new(4, 3, 13, 11, 5, 3, 2, 1),
        // ConvTranspose2d: ..., output padding, transposed
        new(1, 1, 7, 7, 3, 3, 2, 1, 1, true),
        new(3, 5, 7, 7, 3, 3, 2, 1, 1, true),
        new(3, 3, 13, 11, 5, 3, 2, 1, 1, true),
        new(3, 3, 14, 14, 2, 3, 2, 1, 0, true),
        new(1, 3, 8, 8, 5, 4, 2, 1, 0, true),
        new(3, 5, 13, 11, 1, 4, 2, 1, 0, true),
        new(1, 5, 7, 7, 17, 3, 1, 1, 0, true),
        new(4, 3, 7, 5, 2, 3, 2, 1, 1, true),
        new(2, 5, 6, 5, 2, 4, 2, 1, 0, true),
        new(2, 3, 5, 6, 35, 3, 2, 1, 1, true),
    ];

    public static string Name(Conv2dShape s)
        => $"{(s.Transposed ? "convT" : "conv")} n{s.Batch} {s.InChannels}->{s.OutChannels} {s.InHeight}x{s.InWidth}->{s.OutHeight}x{s.OutWidth} k{s.Kernel} s{s.Stride} p{s.Padding}" +
           (s.OutputPadding > 0 ? $" op{s.OutputPadding}" : "");

    public static IEnumerable<TestCaseData> ShapeCases() => Shapes.Select((s, i) => new TestCaseData(i).SetArgDisplayNames(Name(s)));

    /// <summary>Random input, weight, bias and output gradient for a shape.</summary>
    public sealed record ConvData(float[] Input, float[] Weight, float[] Bias, float[] OutputGrad)
    {
        public static ConvData Random(Conv2dShape s, int seed)
        {
            var random = new Random(seed);
            return new(GpuTest.RandomArray(random, s.InputLength), GpuTest.RandomArray(random, s.WeightLength),
                GpuTest.RandomArray(random, s.OutChannels), GpuTest.RandomArray(random, s.OutputLength));
        }
    }

    public static float[] ReferenceForward(Conv2dShape s, ConvData d) => ConvReference.Forward(s, d.Input, d.Weight, d.Bias);

    public static float[] ReferenceBackwardInput(Conv2dShape s, ConvData d) => ConvReference.BackwardInput(s, d.OutputGrad, d.Weight);

    public static float[] ReferenceBackwardWeight(Conv2dShape s, ConvData d) => ConvReference.BackwardWeight(s, d.Input, d.OutputGrad);

    public static float[] ReferenceBackwardBias(Conv2dShape s, ConvData d) => ConvReference.BackwardBias(s, d.OutputGrad);

    /// <summary>fp32 sums of <paramref name="terms"/> products of values in [-1, 1], vs the double reference.</summary>
    public static void AssertConvClose(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected, int terms, string what)
        => GpuTest.AssertClose(actual, expected, rtol: 1e-4f, atol: 1e-6f * terms + 1e-6f, what: what);

    /// <summary>Terms of one output of the forward (and backward-input) sums, at most.</summary>
    public static int ForwardTerms(Conv2dShape s) => (s.Transposed ? s.OutChannels : s.InChannels) * s.Kernel * s.Kernel + 1;

    /// <summary>Terms of one weight-gradient element, at most.</summary>
    public static int WeightTerms(Conv2dShape s) => s.Batch * s.InHeight * s.InWidth + s.Batch * s.OutHeight * s.OutWidth;
}

/// <summary>
/// The tensors of every pass of one conv shape: the inputs (x, w, bias, dy) uploaded from the
/// data, the outputs (y, dx, dw, dbias) and a weight-gradient workspace of the given length.
/// </summary>
internal sealed class ConvPassTensors : IDisposable
{
    public ConvPassTensors(Gpu gpu, Conv2dShape s, ConvTestCases.ConvData d, long workspaceLength)
    {
        Shape = s;
        Data = d;
        X = gpu.CreateTensor("x", d.Input);
        W = gpu.CreateTensor("w", d.Weight);
        B = gpu.CreateTensor("b", d.Bias);
        Dy = gpu.CreateTensor("dy", d.OutputGrad);
        Y = gpu.CreateTensor("y", s.OutputLength);
        Dx = gpu.CreateTensor("dx", s.InputLength);
        Dw = gpu.CreateTensor("dw", s.WeightLength);
        Db = gpu.CreateTensor("db", s.OutChannels);
        Workspace = gpu.CreateTensor("workspace", Math.Max(1, workspaceLength));
    }

    public Conv2dShape Shape { get; }
    public ConvTestCases.ConvData Data { get; }
    public Tensor X { get; }
    public Tensor W { get; }
    public Tensor B { get; }
    public Tensor Dy { get; }
    public Tensor Y { get; }
    public Tensor Dx { get; }
    public Tensor Dw { get; }
    public Tensor Db { get; }
    public Tensor Workspace { get; }

    /// <summary>The three gradient passes through the layer-level API, as training records them.</summary>
    public void RecordBackward(SequenceRecorder r, Conv2dShape s, ConvVariant? variant = null)
    {
        ConvKernels.BackwardInput(r, s, Dy, W, Dx, variant);
        ConvKernels.BackwardWeight(r, s, X, Dy, Dw, Workspace, variant);
        ConvKernels.BackwardBias(r, s, Dy, Db);
    }

    public void Dispose()
    {
        foreach (var tensor in new[] { X, W, B, Dy, Y, Dx, Dw, Db, Workspace }) tensor.Dispose();
    }
}
