using VulkanAE.Core;
using VulkanAE.Kernels.Noise;
using VulkanAE.Kernels.Training;
using VulkanAE.Models;

namespace VulkanAE.Tests.Models;

/// <summary>
/// Where an activation follows a dense layer, its backward runs inside that layer's bias gradient
/// pass: the backward records no activation pass for it, and one fused bias pass per such pair.
/// Activations after convolutions keep their own pass. (The PyTorch parity tests check the numbers
/// of fc-ae, fc-vae, conv-ae and conv-vae; OutputActivationTests those of the output activation,
/// which the loss fuses.)
/// </summary>
public class ActivationBackwardFusionTests : GpuTest
{
    [TestCase("fc-ae", 2, 0)]
    [TestCase("fc-vae", 2, 0)]
    [TestCase("conv-ae", 0, 4)]
    [TestCase("conv-vae", 2, 4)]
    [TestCase("fc-ae-48", 5, 0)] // five hidden activations; the sigmoid output is fused into its MSE loss
    public void BackwardRecordsAnActivationPassOnlyAfterConvolutions(string name, int fusedPairs, int activationPasses)
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

        Assert.That(backward.Count(k => k == "activation/activation_backward"), Is.EqualTo(activationPasses));
        Assert.That(backward.Count(k => k == "dense/bias_activation_gradient"), Is.EqualTo(fusedPairs));
    }
}
