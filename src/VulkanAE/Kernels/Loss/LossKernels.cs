using VulkanAE.Core;
using static VulkanAE.Core.SpecializationConstant;
using VulkanAE.Kernels.Activation;
using VulkanAE.Kernels.Reduce;

namespace VulkanAE.Kernels.Loss;

/// <summary>The losses of shaders/loss/elementwise_loss.comp; values match its LOSS_* defines (checked by ShaderDefinesTests).</summary>
public enum LossKind : uint
{
    /// <summary>Binary cross-entropy of sigmoid(input) against the target, computed from the logits.</summary>
    BinaryCrossEntropyWithLogits = 0,

    /// <summary>(input - target)^2.</summary>
    SquaredError = 1,
}

/// <summary>
/// Elementwise losses over a [rows, cols] batch (row-major) that write, in one pass, the gradient
/// with respect to their input (times <c>gradScale</c>) and the unscaled loss summed over each row
/// (deterministic: a fixed-order sum per row). <c>gradScale</c> is the caller's reduction:
/// 1/(rows*cols) for a per-element mean, 1/rows for a per-sample sum averaged over the batch.
/// </summary>
internal static class LossKernels
{
    private readonly record struct Push(uint Rows, uint Cols, float GradScale);

    private readonly record struct LossConstants(uint WorkgroupSize, LossKind Kind, ActivationKind OutputActivation, bool OneWorkgroupPerRow)
        : ISpecializationConstants
    {
        public IReadOnlyList<SpecializationConstant> Constants => [Of(0, WorkgroupSize), Of(1, Kind), Of(2, OutputActivation), Of(3, OneWorkgroupPerRow)];
    }

    private static readonly KernelSignature<LossConstants> Signature
        = KernelSignature.Of<Push, LossConstants>("loss/elementwise_loss", Access.Read, Access.Read, Access.Write, Access.Write);

    /// <summary>
    /// Binary cross-entropy of sigmoid(logits) against target, computed from the logits (stable for
    /// any finite logit): loss = max(z, 0) - z t + log(1 + exp(-|z|)), gradLogits = gradScale (sigmoid(z) - t).
    /// The sigmoid output layer is fused into this loss, so the decoder's last layer is linear in training.
    /// </summary>
    public static void BinaryCrossEntropyWithLogits(SequenceRecorder r, Tensor logits, Tensor target, Tensor gradLogits, Tensor rowLoss,
        int rows, int cols, float gradScale, RowReduction? rowReduction = null)
        => Dispatch(r, LossKind.BinaryCrossEntropyWithLogits, logits, target, gradLogits, rowLoss, rows, cols, gradScale, ActivationKind.Identity, rowReduction);

    /// <summary>
    /// Squared error of the model's output p = f(x) against target, computed from x, the output
    /// before the activation f (<paramref name="outputActivation"/>, Identity for none):
    /// loss = (p - t)^2, gradInput = gradScale * 2 (p - t) * f'(p). The output activation is fused
    /// into this loss, so training runs neither its forward nor its backward.
    /// </summary>
    public static void MeanSquaredError(SequenceRecorder r, Tensor input, Tensor target, Tensor gradInput, Tensor rowLoss,
        int rows, int cols, float gradScale, ActivationKind outputActivation = ActivationKind.Identity, RowReduction? rowReduction = null)
        => Dispatch(r, LossKind.SquaredError, input, target, gradInput, rowLoss, rows, cols, gradScale, outputActivation, rowReduction);

    private static void Dispatch(SequenceRecorder r, LossKind kind, Tensor input, Tensor target, Tensor grad, Tensor rowLoss,
        int rows, int cols, float gradScale, ActivationKind outputActivation, RowReduction? rowReduction)
    {
        if (rows <= 0 || cols <= 0) throw new ArgumentOutOfRangeException(nameof(rows), $"{kind} loss: shape [{rows}, {cols}] must be positive");
        long elements = (long)rows * cols;
        foreach (var tensor in new[] { input, target, grad })
            if (tensor.Length < elements) throw new ArgumentException($"{kind} loss: {tensor} is shorter than [{rows}, {cols}]");
        if (rowLoss.Length < rows) throw new ArgumentException($"{kind} loss: {rowLoss} is shorter than its {rows} rows");
        var launch = RowReductions.Launch(r.Gpu, rowReduction, rows);
        var kernel = r.Gpu.Kernel(Signature, new LossConstants(launch.WorkgroupSize, kind, outputActivation, launch.OneWorkgroupPerRow));
        r.Dispatch(kernel, launch.Groups, new Push((uint)rows, (uint)cols, gradScale), CommandWork.MovingFloats(3.0 * elements + rows),
            input, target, grad, rowLoss);
    }
}

/// <summary>CPU reference of <see cref="LossKernels"/>, in double precision.</summary>
internal static class LossReference
{
    public static double BinaryCrossEntropyWithLogits(double z, double t) => Math.Max(z, 0) - z * t + Math.Log(1 + Math.Exp(-Math.Abs(z)));

    public static double BinaryCrossEntropyWithLogitsDerivative(double z, double t) => 1 / (1 + Math.Exp(-z)) - t;

    public static double SquaredError(double p, double t) => (p - t) * (p - t);

    public static double SquaredErrorDerivative(double p, double t) => 2 * (p - t);

    /// <summary>
    /// The gradient (times <paramref name="gradScale"/>) and the per-row loss sums of <paramref name="kind"/>;
    /// the squared error of <paramref name="outputActivation"/>(input), differentiated through it.
    /// </summary>
    public static (float[] Grad, float[] RowLoss) Compute(LossKind kind, ReadOnlySpan<float> input, ReadOnlySpan<float> target,
        int rows, int cols, float gradScale, ActivationKind outputActivation = ActivationKind.Identity)
    {
        var grad = new float[rows * cols];
        var rowLoss = new float[rows];
        for (int row = 0; row < rows; row++)
        {
            double sum = 0;
            for (int i = row * cols; i < (row + 1) * cols; i++)
            {
                double p = ActivationReference.Apply(outputActivation, input[i]);
                (double loss, double derivative) = kind == LossKind.BinaryCrossEntropyWithLogits
                    ? (BinaryCrossEntropyWithLogits(input[i], target[i]), BinaryCrossEntropyWithLogitsDerivative(input[i], target[i]))
                    : (SquaredError(p, target[i]), SquaredErrorDerivative(p, target[i]) * ActivationReference.DerivativeFromOutput(outputActivation, (float)p));
                grad[i] = (float)(gradScale * derivative);
                sum += loss;
            }
            rowLoss[row] = (float)sum;
        }
        return (grad, rowLoss);
    }
}
