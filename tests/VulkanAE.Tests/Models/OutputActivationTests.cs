using VulkanAE.Kernels.Activation;
using VulkanAE.Kernels.Noise;
using VulkanAE.Kernels.Training;
using VulkanAE.Models;
using VulkanAE.Models.Layers;

namespace VulkanAE.Tests.Models;

/// <summary>
/// The output activation sits outside the decoder's layers: reconstructions go through it, and the
/// training gradient is that of the loss of those reconstructions, whether the loss fuses the
/// activation (binary cross-entropy's sigmoid) or training runs it (mean squared error).
/// </summary>
public class OutputActivationTests : GpuTest
{
    private const int Rows = 3;

    private static IEnumerable<TestCaseData> Cases()
    {
        yield return new TestCaseData("bce", "sigmoid", ActivationKind.Sigmoid).SetArgDisplayNames("bce, sigmoid (fused)");
        yield return new TestCaseData("mse", "sigmoid", ActivationKind.Sigmoid).SetArgDisplayNames("mse, sigmoid");
        yield return new TestCaseData("mse", "tanh", ActivationKind.Tanh).SetArgDisplayNames("mse, tanh");
        yield return new TestCaseData("mse", "", ActivationKind.Identity).SetArgDisplayNames("mse, none");
    }

    private static ModelSpec Declare(string loss, string output)
        => ModelSpecFile.Parse($"name tiny\ninput 1 2 3\nloss {loss}\nencoder\n dense 4\n relu\n dense 2\ndecoder\n dense 5\n relu\n dense 6\n {output}\n", "tiny.model");

    [TestCaseSource(nameof(Cases))]
    public void TheDecoderLastLineIsTheOutputActivation(string loss, string output, ActivationKind kind)
    {
        var spec = Declare(loss, output);
        Assert.That(spec.OutputActivation, Is.EqualTo(kind));
        Assert.That(spec.Decoder, Has.Length.EqualTo(3), "dense, relu, dense: the output activation is not a decoder layer");
    }

    [Test]
    public void ADeclarationWhoseDecoderEndsWithAnActivationIsRejected()
    {
        var fcAe = ModelCatalog.Create("fc-ae");
        var spec = fcAe with { Decoder = [.. fcAe.Decoder, new LayerSpec.Activation(ActivationKind.Sigmoid)] };
        Assert.That(Assert.Throws<ArgumentException>(() => spec.Validate())!.Message, Does.Contain("declare it as the output activation"));
    }

    [TestCaseSource(nameof(Cases))]
    public void ReconstructionsGoThroughTheOutputActivation(string loss, string output, ActivationKind kind)
    {
        using var model = Declare(loss, output).Build(Gpu, Rows, seed: 3);
        Assert.That(model.Decoder.Layers[^1], Is.InstanceOf<DenseLayer>(), "no network holds a layer that training skips");
        using var input = Gpu.CreateTensor("input", RandomArray(new Random(4), Rows * model.Features, 0f, 1f));
        using var state = new TrainingState(Gpu);
        Gpu.Run(r =>
        {
            r.Fill(state.Tensor);
            model.RecordForward(r, input, Rows, state.Tensor, NoiseStream.Inference);
        });
        var decoded = model.Decoder.Output.ToArray()[..(Rows * model.Features)];
        AssertClose(model.Reconstruction.ToArray()[..decoded.Length], ActivationReference.Forward(kind, decoded), what: "reconstruction");
    }

    /// <summary>The gradient of the last decoder weight against finite differences of the loss, computed on the host from the reconstructions.</summary>
    [TestCaseSource(nameof(Cases))]
    public void TrainingGradientIsThatOfTheLossOfTheReconstructions(string loss, string output, ActivationKind kind)
    {
        using var model = Declare(loss, output).Build(Gpu, Rows, seed: 5);
        var pixels = RandomArray(new Random(6), Rows * model.Features, 0f, 1f);
        using var input = Gpu.CreateTensor("input", pixels);
        using var state = new TrainingState(Gpu);
        using var sum = Gpu.CreateTensor("recon_sum", 1);
        var weight = model.Parameters.Single(p => p.Name == "decoder.2.weight");
        var initial = weight.Value.ToArray();

        Gpu.Run(r =>
        {
            r.Fill(state.Tensor);
            r.Fill(sum);
            model.RecordForward(r, input, Rows, state.Tensor, NoiseStream.TrainingSampling, reconstruction: false);
            model.RecordLossAndBackward(r, input, input, Rows, [sum], klWeight: 1f);
        });
        var analytic = weight.Gradient.ToArray();

        double Loss(float[] w)
        {
            weight.Value.Upload<float>(w);
            Gpu.Run(r => model.RecordForward(r, input, Rows, state.Tensor, NoiseStream.Inference));
            var reconstruction = model.Reconstruction.ToArray();
            double total = 0;
            for (int i = 0; i < pixels.Length; i++)
            {
                double p = reconstruction[i], t = pixels[i];
                total += loss == "bce" ? -(t * Math.Log(p) + (1 - t) * Math.Log(1 - p)) : (p - t) * (p - t);
            }
            return total / pixels.Length;
        }
        FiniteDifference.Check(Loss, initial, analytic, $"{loss} {kind}: d loss / d decoder.2.weight");
    }
}
