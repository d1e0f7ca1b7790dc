using VulkanAE.Core;
using VulkanAE.Kernels.Loss;
using VulkanAE.Kernels.Noise;
using VulkanAE.Kernels.Reduce;
using VulkanAE.Models.Layers;

namespace VulkanAE.Models;

/// <summary>
/// An encoder, an optional variational bottleneck, and a decoder, with their loss, recorded as
/// GPU work. Loss terms are summed on the device into one tensor per term (reconstruction, and KL
/// for a VAE), so the host reads them once per report.
/// The model's output activation (<see cref="ModelSpec.OutputActivation"/>) follows the decoder.
/// The loss fuses it: it reads the decoder's output and applies the activation itself (binary
/// cross-entropy its sigmoid, from the logits, exact and stable when saturated), and the backward
/// pass starts there; training never runs the activation's own passes, which only run when a
/// reconstruction is asked for.
/// An autoencoder's loss is a mean per pixel; a VAE's is summed over pixels and averaged over
/// samples (nats per sample), as in the reference write-ups.
/// A CutPaste classifier (<see cref="TrainingObjective.CutPaste"/>) is built the same way: its decoder is the head that
/// ends in one logit per image, and its loss the mean binary cross-entropy against a target per row (0 normal, 1 pasted).
/// </summary>
internal sealed class Autoencoder : IDisposable
{
    private readonly ActivationLayer? _outputActivation;
    private readonly Tensor _lossGradient;
    private readonly Tensor _rowLoss;

    /// <summary>Built by <see cref="ModelSpec.Build"/>, which has validated the declaration.</summary>
    /// <param name="outputActivation">The spec's output activation on the decoder's output; null for Identity.</param>
    public Autoencoder(Gpu gpu, ModelSpec spec, Network encoder, VariationalBottleneck? bottleneck, Network decoder,
        ActivationLayer? outputActivation, ParameterArena arena, int maxRows, Tensor? labels)
    {
        Labels = labels;
        Spec = spec;
        Encoder = encoder;
        Bottleneck = bottleneck;
        Decoder = decoder;
        Arena = arena;
        _outputActivation = outputActivation;
        MaxRows = maxRows;
        _lossGradient = gpu.CreateTensor("loss.grad", (long)maxRows * spec.OutputFeatures);
        _rowLoss = gpu.CreateTensor("loss.row_sums", maxRows);
    }

    public ModelSpec Spec { get; }
    public Network Encoder { get; }
    public VariationalBottleneck? Bottleneck { get; }
    public Network Decoder { get; }
    public int MaxRows { get; }
    public int Features => Spec.InputFeatures;

    /// <summary>Values the decoder gives per row: an image, or a CutPaste classifier's logit.</summary>
    public int OutputFeatures => Spec.OutputFeatures;
    public bool IsVariational => Bottleneck is not null;

    /// <summary>
    /// A conditional VAE's class of each row, [MaxRows] floats holding whole numbers, which its label
    /// inputs read: whoever records a pass fills it first. Null for an unconditioned model.
    /// </summary>
    public Tensor? Labels { get; }

    /// <summary>The classes a conditional VAE was trained on; null for an unconditioned model.</summary>
    public int? ConditionClasses => Spec.ConditionClasses;

    /// <summary>The code the decoder reads: z for a VAE, the encoder's output otherwise.</summary>
    public Tensor Code => Bottleneck?.Z ?? Encoder.Output;

    /// <summary>Where each input lands in latent space: the posterior mean for a VAE, the code otherwise.</summary>
    public Tensor LatentPosition => Bottleneck?.Mean ?? Encoder.Output;

    public int CodeSize => Decoder.Layers[0].InputFeatures;
    public Tensor Reconstruction => _outputActivation?.Output ?? Decoder.Output;

    /// <summary>The reconstruction (or classification) loss of each row of the last loss recorded, summed over its outputs, [rows].</summary>
    public Tensor ReconstructionRowLoss => _rowLoss;

    /// <summary>Every parameter, its gradient and Adam's moments, in one buffer each.</summary>
    public ParameterArena Arena { get; }

    /// <summary>Encoder's, then the bottleneck's, then the decoder's, each in layer order.</summary>
    public IReadOnlyList<Parameter> Parameters => Arena.Parameters;

    /// <summary>Names of the loss terms, in the order of the sum tensors the Record methods take.</summary>
    public IReadOnlyList<string> LossTerms => IsVariational ? ["recon", "kl"] : [Spec.Reconstructs ? "recon" : "bce"];

    /// <summary>What a loss sum over <paramref name="samples"/> rows is divided by: pixels for an AE, rows for a VAE or a classifier.</summary>
    public double LossDenominator(int samples) => IsVariational ? samples : (double)samples * OutputFeatures;

    /// <summary>
    /// The forward pass. <see cref="Reconstruction"/> is only computed when asked for: the loss,
    /// which fuses the output activation, reads the decoder's output. <paramref name="noiseStream"/> keys a VAE's sampling noise;
    /// <paramref name="givenEpsilon"/> [rows, latent] replaces it (parity tests against PyTorch).
    /// </summary>
    public void RecordForward(SequenceRecorder r, Tensor input, int rows, Tensor trainingState, NoiseStream noiseStream, bool reconstruction = true,
        Tensor? givenEpsilon = null)
    {
        Encoder.Forward(r, input, rows);
        Bottleneck?.Forward(r, Encoder.Output, rows, trainingState, noiseStream, givenEpsilon);
        RecordDecode(r, Code, rows, reconstruction);
    }

    /// <summary>Decodes <paramref name="code"/> [rows, CodeSize] into <see cref="Reconstruction"/>.</summary>
    public void RecordDecode(SequenceRecorder r, Tensor code, int rows, bool reconstruction = true)
    {
        Decoder.Forward(r, code, rows);
        if (reconstruction) _outputActivation?.Forward(r, Decoder.Output, rows);
    }

    /// <summary>
    /// Loss of the last forward pass against <paramref name="target"/> (the images, or a classifier's 0 or 1 per row),
    /// then the whole backward pass.
    /// </summary>
    public void RecordLossAndBackward(SequenceRecorder r, Tensor input, Tensor target, int rows, IReadOnlyList<Tensor> lossSums, float klWeight)
    {
        RecordOutputLoss(r, target, rows, lossSums[0]);
        var codeGradient = Decoder.Backward(r, Code, _lossGradient, rows, inputGradient: true)!;
        if (Bottleneck is not null)
        {
            Bottleneck.Backward(r, Encoder.Output, codeGradient, rows, klWeight, gradScale: 1f / rows, lossSums[1]);
            codeGradient = Bottleneck.HiddenGradient;
        }
        Encoder.Backward(r, input, codeGradient, rows, inputGradient: false);
    }

    /// <summary>Loss of the last forward pass, for evaluation: no backward pass.</summary>
    public void RecordLoss(SequenceRecorder r, Tensor target, int rows, IReadOnlyList<Tensor> lossSums)
    {
        RecordOutputLoss(r, target, rows, lossSums[0]);
        Bottleneck?.RecordKlOnly(r, rows, lossSums[1]);
    }

    private void RecordOutputLoss(SequenceRecorder r, Tensor target, int rows, Tensor sum)
    {
        float gradScale = (float)(1 / LossDenominator(rows));
        if (Spec.Loss == ReconstructionLoss.BinaryCrossEntropy)
            LossKernels.BinaryCrossEntropyWithLogits(r, Decoder.Output, target, _lossGradient, _rowLoss, rows, OutputFeatures, gradScale);
        else
            LossKernels.MeanSquaredError(r, Decoder.Output, target, _lossGradient, _rowLoss, rows, OutputFeatures, gradScale, Spec.OutputActivation);
        ReductionKernels.AccumulateSum(r, _rowLoss, rows, sum);
    }

    public void Dispose()
    {
        Encoder.Dispose();
        Bottleneck?.Dispose();
        Decoder.Dispose();
        _outputActivation?.Dispose();
        Arena.Dispose();
        _lossGradient.Dispose();
        _rowLoss.Dispose();
        Labels?.Dispose();
    }
}
