using VulkanAE.Kernels.Data;
using VulkanAE.Models;

namespace VulkanAE.Tests.Models;

/// <summary>face-cutpaste, the CutPaste classifier: its declaration and what a classifier's declaration may not be.</summary>
public class CutPasteModelTests : GpuTest
{
    [Test]
    public void FaceCutPasteIsThePrototypesClassifier()
    {
        var spec = ModelCatalog.Create("face-cutpaste");
        Assert.That((spec.Reconstructs, spec.RowsPerImage, spec.OutputFeatures, spec.Range), Is.EqualTo((false, 2, 1, PixelRange.Symmetric)));
        Assert.That((spec.Defaults.Epochs, spec.Defaults.BatchSize, spec.Defaults.LearningRate), Is.EqualTo((100, 32, 1e-3f)));
        using var model = spec.Build(Gpu, maxRows: 2, seed: 1);
        // PyTorch's names and shapes (tools/pytorch_models.py CutPasteClassifier): four convolutions, then the head after its flatten.
        Assert.That(model.Parameters.Select(p => (p.Name, string.Join("x", p.Shape))), Is.EqualTo(new[]
        {
            ("encoder.0.weight", "32x3x4x4"), ("encoder.0.bias", "32"), ("encoder.2.weight", "64x32x4x4"), ("encoder.2.bias", "64"),
            ("encoder.4.weight", "128x64x4x4"), ("encoder.4.bias", "128"), ("encoder.6.weight", "128x128x4x4"), ("encoder.6.bias", "128"),
            ("decoder.1.weight", "1x2048"), ("decoder.1.bias", "1"),
        }));
        Assert.That(model.LossTerms, Is.EqualTo(new[] { "bce" }));
        Assert.That(ModelCatalog.Create("face-cutpaste", new ModelOptions(Hidden: [8, 16])).Description, Does.Contain("16x16x16"));
    }

    [Test]
    public void AClassifierHasOneLogitAndNoLatentSpace()
    {
        var spec = ModelCatalog.Create("face-cutpaste", new ModelOptions(Hidden: [4]));
        var twoLogits = Assert.Throws<ArgumentException>(() => (spec with { Decoder = [new LayerSpec.Flatten(), new LayerSpec.Dense(2)] }).Validate());
        Assert.That(twoLogits!.Message, Does.Contain("one logit per image"));
        var variational = Assert.Throws<ArgumentException>(() => (spec with { Latent = 2 }).Validate());
        Assert.That(variational!.Message, Does.Contain("CutPaste classifier has no latent space"));
        Assert.Throws<ArgumentException>(() => ModelCatalog.Create("face-cutpaste", new ModelOptions(Latent: 8)));
    }
}
