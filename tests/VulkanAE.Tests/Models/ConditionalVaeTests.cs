using VulkanAE.Kernels.Noise;
using VulkanAE.Kernels.Training;
using VulkanAE.Models;
using VulkanAE.Models.Layers;

namespace VulkanAE.Tests.Models;

/// <summary>
/// A conditional VAE (--condition labels): where the label joins each network, and the whole
/// backward pass, through both joins and their splits, against finite differences of the loss.
/// </summary>
public class ConditionalVaeTests : GpuTest
{
    private const int Rows = 4;
    private const int Classes = 3;
    private static readonly float[] RowLabels = [2, 0, 1, 2];

    private static ModelSpec Dense() => ModelSpecFile.Parse(
        "name tiny-vae\ninput 1 2 3\nloss bce\nlatent 2\nencoder\n dense 5\n relu\ndecoder\n dense 5\n relu\n dense 6\n sigmoid\n", "tiny.model").ConditionedOn(Classes);

    /// <summary>A conv encoder, flattened, then dense: the label joins after the flatten.</summary>
    private static ModelSpec Convolutional() => ModelSpecFile.Parse(
        "name tiny-conv-vae\ninput 1 6 6\nloss bce\nlatent 2\nencoder\n conv2d 2 kernel=3 stride=2 padding=1\n relu\n flatten\n dense 4\n relu\n"
        + "decoder\n dense 18\n relu\n reshape 2 3 3\n conv-transpose2d 1 kernel=3 stride=2 padding=1 output-padding=1\n sigmoid\n", "tiny-conv.model").ConditionedOn(Classes);

    [Test]
    public void TheLabelJoinsBeforeTheFirstDenseLayersOfEncoderAndDecoder()
    {
        using var dense = Dense().Build(Gpu, Rows, seed: 1);
        Assert.That(dense.Encoder.Layers[0], Is.InstanceOf<LabelConcatLayer>());
        Assert.That(dense.Encoder.Layers[1].InputFeatures, Is.EqualTo(6 + Classes), "the encoder's first dense layer reads [x | one_hot]");
        Assert.That(dense.Decoder.Layers[0], Is.InstanceOf<LabelConcatLayer>());
        Assert.That(dense.Decoder.Layers[1].InputFeatures, Is.EqualTo(2 + Classes), "the decoder's first dense layer reads [z | one_hot]");
        Assert.That(dense.CodeSize, Is.EqualTo(2), "codes stay z alone");
        Assert.That(dense.Parameters.Single(p => p.Name == "encoder.0.weight").Shape, Is.EqualTo(new[] { 5, 6 + Classes }));

        using var conv = Convolutional().Build(Gpu, Rows, seed: 1);
        var labelInput = conv.Encoder.Layers.OfType<LabelConcatLayer>().Single();
        Assert.That(labelInput.InputFeatures, Is.EqualTo(2 * 3 * 3), "after the flatten of the conv's 2x3x3 output");
        Assert.That(conv.Parameters.Single(p => p.Name == "encoder.3.weight").Shape, Is.EqualTo(new[] { 4, 2 * 3 * 3 + Classes }));
    }

    [Test]
    public void AnAutoencoderCannotBeConditioned()
    {
        var spec = ModelCatalog.Create("fc-ae").ConditionedOn(10);
        Assert.That(Assert.Throws<ArgumentException>(() => spec.Validate())!.Message, Does.Contain("--condition labels").And.Contain("use a VAE"));
    }

    private static IEnumerable<TestCaseData> Models()
    {
        yield return new TestCaseData("dense", "encoder.0.weight").SetArgDisplayNames("dense, encoder.0.weight (through the decoder's split)");
        yield return new TestCaseData("dense", "decoder.0.weight").SetArgDisplayNames("dense, decoder.0.weight (label columns included)");
        yield return new TestCaseData("conv", "encoder.0.weight").SetArgDisplayNames("conv, encoder.0.weight (through both splits)");
        yield return new TestCaseData("conv", "encoder.3.weight").SetArgDisplayNames("conv, encoder.3.weight (label columns included)");
    }

    /// <summary>
    /// The gradient of a parameter against central differences of the VAE's loss (reconstruction
    /// plus KL, with fixed noise), both computed on the device for the same labelled batch.
    /// </summary>
    [TestCaseSource(nameof(Models))]
    public void GradientsMatchFiniteDifferencesOfTheLoss(string kind, string parameter)
    {
        var spec = kind == "dense" ? Dense() : Convolutional();
        using var model = spec.Build(Gpu, Rows, seed: 5);
        var random = new Random(6);
        using var input = Gpu.CreateTensor("input", RandomArray(random, Rows * model.Features, 0f, 1f));
        using var epsilon = Gpu.CreateTensor("epsilon", RandomArray(random, Rows * 2));
        using var state = new TrainingState(Gpu);
        using var recon = Gpu.CreateTensor("recon_sum", 1);
        using var kl = Gpu.CreateTensor("kl_sum", 1);
        model.Labels!.Upload<float>(RowLabels);
        var weight = model.Parameters.Single(p => p.Name == parameter);
        var initial = weight.Value.ToArray();
        Gpu.Run(r =>
        {
            r.Fill(state.Tensor);
            r.Fill(recon);
            r.Fill(kl);
            model.RecordForward(r, input, Rows, state.Tensor, NoiseStream.TrainingSampling, reconstruction: false, givenEpsilon: epsilon);
            model.RecordLossAndBackward(r, input, input, Rows, [recon, kl], klWeight: 1f);
        });
        var analytic = weight.Gradient.ToArray();
        Assert.That(analytic.Any(g => g != 0), Is.True, $"{parameter} has a gradient");

        double Loss(float[] w)
        {
            weight.Value.Upload<float>(w);
            Gpu.Run(r =>
            {
                r.Fill(recon);
                r.Fill(kl);
                model.RecordForward(r, input, Rows, state.Tensor, NoiseStream.Inference, reconstruction: false, givenEpsilon: epsilon);
                model.RecordLoss(r, input, Rows, [recon, kl]);
            });
            return ((double)recon.ToArray()[0] + kl.ToArray()[0]) / Rows;
        }
        FiniteDifference.Check(Loss, initial, analytic, $"{kind}: d loss / d {parameter}", samples: 40);
    }

    /// <summary>The one-hot columns of the encoder's first weight get gradient only from the classes in the batch.</summary>
    [Test]
    public void OnlyTheBatchsClassesGetLabelWeightGradients()
    {
        using var model = Dense().Build(Gpu, Rows, seed: 2);
        var labels = new float[] { 0, 2, 0, 2 }; // class 1 absent
        model.Labels!.Upload<float>(labels);
        using var input = Gpu.CreateTensor("input", RandomArray(new Random(8), Rows * model.Features, 0f, 1f));
        using var state = new TrainingState(Gpu);
        using var recon = Gpu.CreateTensor("recon_sum", 1);
        using var kl = Gpu.CreateTensor("kl_sum", 1);
        Gpu.Run(r =>
        {
            r.Fill(state.Tensor);
            model.RecordForward(r, input, Rows, state.Tensor, NoiseStream.TrainingSampling, reconstruction: false);
            model.RecordLossAndBackward(r, input, input, Rows, [recon, kl], klWeight: 1f);
        });
        var gradient = model.Parameters.Single(p => p.Name == "encoder.0.weight").Gradient.ToArray();
        int width = 6 + Classes;
        for (int unit = 0; unit < 5; unit++)
            Assert.That(gradient[unit * width + 6 + 1], Is.Zero, $"unit {unit}: the weight from class 1, absent from the batch");
        Assert.That(Enumerable.Range(0, 5).Any(unit => gradient[unit * width + 6] != 0), Is.True, "class 0 is in the batch");
    }
}
