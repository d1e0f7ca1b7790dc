using VulkanAE.Core;
using VulkanAE.Models;
using VulkanAE.Models.Layers;

namespace VulkanAE.Tests.Models;

/// <summary>
/// A convolution followed by a ReLU, or a dense layer followed by any activation, stores the
/// activation's output itself: no activation pass in the forward, and the activation layer's output
/// is the producer's (the PyTorch parity tests check the numbers of the models with such pairs).
/// </summary>
public class FusedActivationTests : GpuTest
{
    /// <summary>Records the forward of one of a built-in model's networks on two rows: its layers and the kernels it dispatches, in order.</summary>
    private (IReadOnlyList<Layer> Layers, List<string> Kernels) RecordForward(string modelName, Func<Autoencoder, Network> network)
    {
        using var model = ModelCatalog.Create(modelName).Build(Gpu, maxRows: 2, seed: 1);
        var part = network(model);
        using var input = Gpu.CreateTensor("input", 2 * part.Layers[0].InputFeatures);
        var r = new SequenceRecorder(Gpu);
        part.Forward(r, input, rows: 2);
        return (part.Layers, r.Commands.OfType<SequenceRecorder.DispatchCommand>().Select(c => c.Kernel.Name).ToList());
    }

    [Test]
    public void ConvAeForwardRecordsNoActivationPassAndSharesTheConvOutputs()
    {
        var (layers, kernels) = RecordForward("conv-ae", model => model.Encoder);
        Assert.That(kernels, Has.No.Member("activation/activation_forward"));
        Assert.That(kernels.Count(k => k.StartsWith("conv/")), Is.EqualTo(2));
        var relus = Enumerable.Range(1, layers.Count - 1).Where(i => layers[i] is ActivationLayer).ToList();
        Assert.That(relus, Has.Count.EqualTo(2));
        foreach (int i in relus)
            Assert.That(layers[i].Output, Is.SameAs(layers[i - 1].Output), layers[i].Name);
    }

    /// <summary>fc-ae-48's decoder: dense layers each followed by tanh, each one matmul dispatch (bias and tanh in its epilogue).</summary>
    [Test]
    public void DenseLayersApplyTheirBiasAndActivationInTheirOneMatmul()
    {
        var (layers, kernels) = RecordForward("fc-ae-48", model => model.Decoder);
        Assert.That(kernels, Has.Count.EqualTo(layers.Count(l => l is DenseLayer)).And.All.StartsWith("dense/matmul_"));
        var activations = Enumerable.Range(1, layers.Count - 1).Where(i => layers[i] is ActivationLayer).ToList();
        Assert.That(activations, Is.Not.Empty);
        foreach (int i in activations)
        {
            Assert.That(layers[i - 1], Is.InstanceOf<DenseLayer>(), layers[i].Name);
            Assert.That(layers[i].Output, Is.SameAs(layers[i - 1].Output), layers[i].Name);
        }
    }
}
