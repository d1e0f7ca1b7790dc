using VulkanAE.Models;
using VulkanAE.Training;

namespace VulkanAE.Tests.Models;

public class ModelSpecFileTests
{
    private const string ConvVae = """
        # the conv-vae of the catalog, declared in a file
        name file-vae
        input 1 28 28
        loss bce
        latent 2
        batch 32
        encoder
          conv2d 32 kernel=3 stride=2 padding=1
          relu
          conv2d 64 kernel=3 stride=2 padding=1
          relu
          flatten
          dense 16
          relu
        decoder
          dense 3136
          relu
          reshape 64 7 7
          conv-transpose2d 64 kernel=3 stride=2 padding=1 output-padding=1
          relu
          conv-transpose2d 32 kernel=3 stride=2 padding=1 output-padding=1
          relu
          conv2d 1 kernel=3
          sigmoid
        """;

    [Test]
    public void AFileDeclaresTheSameModelAsTheCatalog()
    {
        var declared = ModelSpecFile.Parse(ConvVae, "file-vae.model");
        var catalog = ModelCatalog.Create("conv-vae");
        Assert.That(declared.Encoder, Is.EqualTo(catalog.Encoder));
        Assert.That(declared.Decoder, Is.EqualTo(catalog.Decoder));
        Assert.That(declared.OutputActivation, Is.EqualTo(catalog.OutputActivation));
        Assert.That(declared.Latent, Is.EqualTo(2));
        Assert.That(declared.Loss, Is.EqualTo(ReconstructionLoss.BinaryCrossEntropy));
        Assert.That(declared.Defaults.BatchSize, Is.EqualTo(32));
    }

    [Test]
    public void TheReadmeExampleIsAValidModel()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory.FullName, "README.md"))) directory = directory.Parent!;
        var readme = File.ReadAllText(Path.Combine(directory.FullName, "README.md"));
        var section = readme[readme.IndexOf("### Declaring a model", StringComparison.Ordinal)..];
        var start = section.IndexOf("```\n", StringComparison.Ordinal) + 4;
        var example = section[start..section.IndexOf("```", start, StringComparison.Ordinal)];
        var spec = ModelSpecFile.Parse(example, "README.md");
        Assert.That(spec.Name, Is.EqualTo("my-vae"));
        Assert.That(spec.Latent, Is.EqualTo(2));
    }

    [Test]
    public void AnUnknownLayerIsNamedWithItsLine()
    {
        var error = Assert.Throws<UserInputException>(() => ModelSpecFile.Parse(ConvVae.Replace("  flatten", "  conv3d 8"), "bad.model"))!;
        Assert.That(error.Message, Does.Contain("bad.model line 12").And.Contain("conv3d").And.Contain("dense"));
    }

    [Test]
    public void LayersThatDoNotConnectAreNamedWithTheirShapes()
    {
        var error = Assert.Throws<UserInputException>(() => ModelSpecFile.Parse(ConvVae.Replace("reshape 64 7 7", "reshape 64 8 8"), "bad.model"))!;
        Assert.That(error.Message, Does.Contain("decoder.2").And.Contain("3136").And.Contain("64x8x8"));

        error = Assert.Throws<UserInputException>(() => ModelSpecFile.Parse(ConvVae.Replace("conv2d 1 kernel=3", "conv2d 1 kernel=4"), "bad.model"))!;
        Assert.That(error.Message, Does.Contain("the decoder ends with 1x27x27").And.Contain("1x28x28"));
    }

    [Test]
    public void MissingStatementsAndBadNumbersAreReported()
    {
        Assert.That(Assert.Throws<UserInputException>(() => ModelSpecFile.Parse(ConvVae.Replace("name file-vae", ""), "m"))!.Message,
            Does.Contain("no 'name' line"));
        Assert.That(Assert.Throws<UserInputException>(() => ModelSpecFile.Parse(ConvVae.Replace("dense 16", "dense sixteen"), "m"))!.Message,
            Does.Contain("line 13").And.Contain("sixteen"));
        Assert.That(Assert.Throws<UserInputException>(() => ModelSpecFile.Parse(ConvVae.Replace("loss bce", "loss l1"), "m"))!.Message,
            Does.Contain("unknown loss 'l1'; use bce or mse"));
        Assert.That(Assert.Throws<UserInputException>(() => ModelSpecFile.Parse(ConvVae.Replace("  sigmoid", "  tanh"), "m"))!.Message,
            Does.Contain("binary cross-entropy needs"));
    }

    [Test]
    public void ADeclaredModelTrains()
    {
        const string tiny = """
            name tiny
            input 1 28 28
            loss mse
            encoder
              conv2d 4 kernel=3 stride=2 padding=1
              relu
              flatten
              dense 8
            decoder
              dense 784
              sigmoid
            """;
        var directory = Directory.CreateTempSubdirectory("declared").FullName;
        var history = TrainingRun.Execute(new TrainingOptions(Model: "tiny", ModelDeclaration: tiny, Epochs: 3, BatchSize: 32, Limit: 320,
            LearningRate: 3e-3f, OutputDirectory: directory, VulkanValidation: true), new Tests.Training.QuietObserver());
        Assert.That(history[^1].TestLoss, Is.LessThan(history[0].TestLoss));
        Assert.That(RunDirectory.Load(directory).Options.Spec().Name, Is.EqualTo("tiny"), "the run directory keeps the declaration");
    }
}
