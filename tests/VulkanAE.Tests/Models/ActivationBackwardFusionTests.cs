using VulkanAE.Core;
using VulkanAE.Kernels.Noise;
using VulkanAE.Kernels.Training;
using VulkanAE.Models;

namespace VulkanAE.Tests.Models;

/// <summary>
/// Where an activation follows a dense or convolution layer, its backward runs inside that layer's
/// bias gradient pass: the backward of these models records no activation pass of its own, and one
/// fused bias pass per such pair. (The PyTorch parity tests check the numbers of fc-ae, fc-vae,
/// conv-ae and conv-vae; OutputActivationTests those of the output activation, which the loss fuses.)
/// </summary>
public class ActivationBackwardFusionTests : GpuTest
{
    [TestCase("fc-ae", 2)]
    [TestCase("fc-vae", 2)]
    [TestCase("conv-ae", 4)]
    [TestCase("conv-vae", 6)]
    [TestCase("fc-ae-48", 5)] // five hidden activations; the sigmoid output is fused into its MSE loss
    public void BackwardRecordsNoActivationPass(string name, int fusedPairs)
    {
        const int rows = 2;
        using var model = ModelCatalog.Create(name).Build(Gpu, rows, seed: 1);
        using var input = Gpu.CreateTensor("input", rows * model.Features);
        using var state = new TrainingState(Gpu);
        var sums = model.LossTerms.Select(t => Gpu.CreateTensor(t, 1)).ToArray();
        var r = new SequenceRecorder(Gpu);
        model.RecordForward(r, input, rows, state.Tensor, NoiseStream.TrainingSampling, reconstruction: false);
        int forward = r.Commands.Count;
        model.RecordLossAndBackward(r, input, input, rows, sums, klWeight: 1f);
        var backward = r.Commands.Skip(forward).OfType<SequenceRecorder.DispatchCommand>().Select(c => c.Kernel.Name).ToList();
        foreach (var sum in sums) sum.Dispose();

        Assert.That(backward, Has.No.Member("activation/activation_backward"));
        Assert.That(backward.Count(k => k is "dense/bias_activation_gradient" or "conv/conv_bias_activation_gradient"), Is.EqualTo(fusedPairs));
    }
}
