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
    [Test]
    public void ConvAeForwardRecordsNoActivationPassAndSharesTheConvOutputs()
    {
        using var model = ModelCatalog.Create("conv-ae").Build(Gpu, maxRows: 2, seed: 1);
        using var input = Gpu.CreateTensor("input", 2 * model.Encoder.Layers[0].InputFeatures);
        var r = new SequenceRecorder(Gpu);
        model.Encoder.Forward(r, input, rows: 2);
        var kernels = r.Commands.OfType<SequenceRecorder.DispatchCommand>().Select(c => c.Kernel.Name).ToList();
        Assert.That(kernels, Has.No.Member("activation/activation_forward"));
        Assert.That(kernels.Count(k => k.StartsWith("conv/")), Is.EqualTo(2));
        var layers = model.Encoder.Layers;
        var relus = Enumerable.Range(1, layers.Count - 1).Where(i => layers[i] is ActivationLayer).ToList();
        Assert.That(relus, Has.Count.EqualTo(2));
        foreach (int i in relus)
            Assert.That(layers[i].Output, Is.SameAs(layers[i - 1].Output), layers[i].Name);
    }

    /// <summary>fc-ae-48's decoder: dense layers each followed by tanh, each one matmul dispatch (bias and tanh in its epilogue).</summary>
    [Test]
    public void DenseLayersApplyTheirBiasAndActivationInTheirOneMatmul()
    {
        using var model = ModelCatalog.Create("fc-ae-48").Build(Gpu, maxRows: 2, seed: 1);
        using var input = Gpu.CreateTensor("input", 2 * model.Decoder.Layers[0].InputFeatures);
        var r = new SequenceRecorder(Gpu);
        model.Decoder.Forward(r, input, rows: 2);
        var kernels = r.Commands.OfType<SequenceRecorder.DispatchCommand>().Select(c => c.Kernel.Name).ToList();
        var layers = model.Decoder.Layers;
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
