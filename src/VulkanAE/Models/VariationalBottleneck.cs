using VulkanAE.Core;
using VulkanAE.Kernels.Elementwise;
using VulkanAE.Kernels.Noise;
using VulkanAE.Kernels.Reduce;
using VulkanAE.Kernels.Vae;
using VulkanAE.Models.Layers;

namespace VulkanAE.Models;

/// <summary>
/// The latent layer of a VAE: two dense heads read the encoder's output h and give the
/// posterior's mean and log-variance; z = mean + exp(logvar / 2) eps with eps ~ N(0, I) drawn on
/// the GPU from (seed, step), and the KL divergence to N(0, I) joins the loss.
/// </summary>
internal sealed class VariationalBottleneck : IDisposable
{
    private readonly DenseLayer _meanHead;
    private readonly DenseLayer _logVarianceHead;
    private readonly Tensor _epsilon;
    private readonly Tensor _meanGradient;
    private readonly Tensor _logVarianceGradient;
    private readonly Tensor _klRowLoss;
    private readonly uint _seed;

    public VariationalBottleneck(Gpu gpu, TensorShape hidden, int latent, int maxRows, Random random, uint seed, WeightInit init,
        ParameterArenaBuilder parameters)
    {
        Latent = latent;
        _seed = seed;
        _meanHead = new DenseLayer(gpu, "latent.z_mean", hidden, latent, maxRows, random, init, parameters);
        _logVarianceHead = new DenseLayer(gpu, "latent.z_log_var", hidden, latent, maxRows, random, init, parameters);
        long values = (long)maxRows * latent;
        _epsilon = gpu.CreateTensor("latent.epsilon", values);
        Z = gpu.CreateTensor("latent.z", values);
        _meanGradient = gpu.CreateTensor("latent.z_mean.grad", values);
        _logVarianceGradient = gpu.CreateTensor("latent.z_log_var.grad", values);
        _klRowLoss = gpu.CreateTensor("latent.kl_rows", maxRows);
        HiddenGradient = gpu.CreateTensor("latent.input_grad", (long)maxRows * hidden.Size);
    }

    public int Latent { get; }
    public TensorShape OutputShape => TensorShape.Vector(Latent);

    /// <summary>The sampled code z, [rows, latent].</summary>
    public Tensor Z { get; }

    /// <summary>The posterior means, [rows, latent]: the latent position of each input.</summary>
    public Tensor Mean => _meanHead.Output;

    /// <summary>The posterior log-variances, [rows, latent].</summary>
    public Tensor LogVariance => _logVarianceHead.Output;

    /// <summary>The unweighted KL divergence of each row of the last loss recorded, [rows].</summary>
    public Tensor KlRowLoss => _klRowLoss;

    /// <summary>dLoss/dh, the two heads' input gradients summed.</summary>
    public Tensor HiddenGradient { get; }

    /// <summary>
    /// Heads, then z. <paramref name="stream"/> separates the noise of training from that of
    /// evaluation and the rest; within a stream it differs every step and every batch (see NoiseKernels).
    /// A <paramref name="givenEpsilon"/> replaces the drawn noise, to compare one step with another framework.
    /// </summary>
    public void Forward(SequenceRecorder r, Tensor hidden, int rows, Tensor trainingState, NoiseStream stream, Tensor? givenEpsilon = null)
    {
        _meanHead.Forward(r, hidden, rows);
        _logVarianceHead.Forward(r, hidden, rows);
        if (givenEpsilon is null)
            VaeKernels.Reparameterize(r, Mean, _logVarianceHead.Output, _epsilon, Z, trainingState, rows, Latent, _seed, (uint)stream);
        else
        {
            r.Copy(givenEpsilon, _epsilon);
            VaeKernels.ReparameterizeWithEpsilon(r, Mean, _logVarianceHead.Output, _epsilon, Z, rows, Latent);
        }
    }

    /// <summary>
    /// Back-propagates dLoss/dz plus <paramref name="klWeight"/> times the KL (scaled by
    /// <paramref name="gradScale"/>) through the sampling and the heads into <see cref="HiddenGradient"/>,
    /// and adds the batch's unweighted KL sum to <paramref name="klSum"/>[0].
    /// </summary>
    public void Backward(SequenceRecorder r, Tensor hidden, Tensor zGradient, int rows, float klWeight, float gradScale, Tensor klSum)
    {
        RecordKl(r, zGradient, rows, klWeight, gradScale, klSum);
        _meanHead.Backward(r, hidden, _meanGradient, rows, inputGradient: true);
        _logVarianceHead.Backward(r, hidden, _logVarianceGradient, rows, inputGradient: true);
        ElementwiseKernels.Add(r, _meanHead.InputGradient, _logVarianceHead.InputGradient, HiddenGradient, (long)rows * _meanHead.InputFeatures);
    }

    /// <summary>
    /// Adds the batch's KL sum to <paramref name="klSum"/>[0] without a backward pass (evaluation).
    /// The KL of each row comes out of the fused reparameterization/KL backward kernel; without a
    /// backward pass there is no dLoss/dz, so z stands in for it and the gradients are discarded.
    /// </summary>
    public void RecordKlOnly(SequenceRecorder r, int rows, Tensor klSum) => RecordKl(r, Z, rows, 0f, 0f, klSum);

    private void RecordKl(SequenceRecorder r, Tensor zGradient, int rows, float klWeight, float gradScale, Tensor klSum)
    {
        VaeKernels.ReparameterizeAndKlBackward(r, zGradient, _epsilon, Mean, _logVarianceHead.Output,
            _meanGradient, _logVarianceGradient, _klRowLoss, rows, Latent, klWeight, gradScale);
        ReductionKernels.AccumulateSum(r, _klRowLoss, rows, klSum);
    }

    public void Dispose()
    {
        _meanHead.Dispose();
        _logVarianceHead.Dispose();
        _epsilon.Dispose();
        Z.Dispose();
        _meanGradient.Dispose();
        _logVarianceGradient.Dispose();
        _klRowLoss.Dispose();
        HiddenGradient.Dispose();
    }
}
