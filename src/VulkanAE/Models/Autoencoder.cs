using VulkanAE.Core;
using VulkanAE.Kernels.Activation;
using VulkanAE.Kernels.Loss;
using VulkanAE.Kernels.Reduce;
using VulkanAE.Models.Layers;

namespace VulkanAE.Models;

/// <summary>
/// An encoder and a decoder with a reconstruction loss, recorded as GPU work:
/// forward, loss (accumulated into a device-side sum), backward. With binary cross-entropy the
/// decoder's final sigmoid is fused into the loss: the loss reads its input (the logits) and the
/// backward pass starts below it, which is exact and stable for saturated outputs.
/// </summary>
internal sealed class Autoencoder : IDisposable
{
    private readonly Tensor _lossGradient;
    private readonly Tensor _rowLoss;

    public Autoencoder(Gpu gpu, ModelSpec spec, Network encoder, Network decoder, int maxRows)
    {
        if (spec.Loss == ReconstructionLoss.BinaryCrossEntropy
            && (decoder.Layers.Count < 2 || decoder.Layers[^1] is not ActivationLayer { Kind: ActivationKind.Sigmoid }))
            throw new ArgumentException($"model {spec.Name}: binary cross-entropy needs a decoder that ends with a sigmoid layer");
        Spec = spec;
        Encoder = encoder;
        Decoder = decoder;
        MaxRows = maxRows;
        _lossGradient = gpu.CreateTensor("loss.grad", (long)maxRows * spec.InputFeatures);
        _rowLoss = gpu.CreateTensor("loss.row_sums", maxRows);
    }

    public ModelSpec Spec { get; }
    public Network Encoder { get; }
    public Network Decoder { get; }
    public int MaxRows { get; }
    public int Features => Spec.InputFeatures;
    public Tensor Code => Encoder.Output;
    public Tensor Reconstruction => Decoder.Output;
    public IEnumerable<Parameter> Parameters => Encoder.Parameters.Concat(Decoder.Parameters);

    private bool FusedSigmoid => Spec.Loss == ReconstructionLoss.BinaryCrossEntropy;

    /// <summary>
    /// The forward pass. <see cref="Reconstruction"/> is only computed when asked for: a loss with a
    /// fused sigmoid reads the logits and does not need it.
    /// </summary>
    public void RecordForward(SequenceRecorder r, Tensor input, int rows, bool reconstruction = true)
    {
        Encoder.Forward(r, input, rows);
        Decoder.Forward(r, Encoder.Output, rows, last: reconstruction || !FusedSigmoid ? null : Decoder.Layers.Count - 2);
    }

    /// <summary>
    /// Records the loss of the last forward pass against <paramref name="target"/>: adds the sum of
    /// the per-element losses to <paramref name="lossSum"/>[0] and leaves d(mean loss)/d(output)
    /// ready for <see cref="RecordBackward"/>.
    /// </summary>
    public void RecordLoss(SequenceRecorder r, Tensor target, int rows, Tensor lossSum)
    {
        float gradScale = 1f / ((float)rows * Features);
        if (FusedSigmoid)
            LossKernels.BinaryCrossEntropyWithLogits(r, Decoder.Layers[^2].Output, target, _lossGradient, _rowLoss, rows, Features, gradScale);
        else
            LossKernels.MeanSquaredError(r, Decoder.Output, target, _lossGradient, _rowLoss, rows, Features, gradScale);
        ReductionKernels.AccumulateSum(r, _rowLoss, rows, lossSum);
    }

    public void RecordBackward(SequenceRecorder r, Tensor input, int rows)
    {
        var codeGradient = Decoder.Backward(r, Encoder.Output, _lossGradient, rows, inputGradient: true,
            last: FusedSigmoid ? Decoder.Layers.Count - 2 : null)!;
        Encoder.Backward(r, input, codeGradient, rows, inputGradient: false);
    }

    public void Dispose()
    {
        Encoder.Dispose();
        Decoder.Dispose();
        _lossGradient.Dispose();
        _rowLoss.Dispose();
    }
}
