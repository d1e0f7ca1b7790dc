using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using VulkanAE.Export;
using VulkanAE.Kernels.Data;
using VulkanAE.Models;
using VulkanAE.Tests.Cli;
using VulkanAE.Training;

namespace VulkanAE.Tests.Export;

/// <summary>
/// Every built-in model's encoder and decoder, exported to ONNX with its weights, give in ONNX
/// Runtime (CPU provider) what the model gives on the device for the same inputs; so do a
/// conditional fc-vae's and conv-vae's, given each sample's class as a one-hot label.
/// </summary>
public sealed class OnnxExportTests : GpuTest
{
    /// <summary>Largest difference allowed between ONNX Runtime's outputs and ours.</summary>
    private const float Tolerance = 1e-5f;

    /// <summary>Rows of every input; more than the model's batch, so the device works in two chunks.</summary>
    private const int Rows = 5;
    private const int MaxRows = 3;

    /// <summary>Classes of the conditional models: not MNIST's 10, so a size taken from the wrong place shows.</summary>
    private const int Classes = 3;

    /// <summary>Every built-in model with an encoder and a decoder: the CutPaste classifier has neither to export.</summary>
    private static IEnumerable<string> Models => ModelCatalog.Names.Where(name => ModelCatalog.Create(name).Reconstructs);

    [TestCaseSource(nameof(Models))]
    public void EncoderAndDecoderMatchTheDevice(string name) => ExportMatchesTheDevice(ModelCatalog.Create(name));

    [TestCase("fc-vae")]
    [TestCase("conv-vae")]
    public void ConditionalEncoderAndDecoderMatchTheDevice(string name) => ExportMatchesTheDevice(ModelCatalog.Create(name).ConditionedOn(Classes));

    private void ExportMatchesTheDevice(ModelSpec spec)
    {
        using var model = spec.Build(Gpu, MaxRows, seed: 3);
        using var inference = new AutoencoderInference(Gpu, model);
        var directory = Directory.CreateTempSubdirectory("onnx-export").FullName;
        OnnxExport.Write(model, directory);

        var random = new Random(11);
        var images = RandomArray(random, Rows * model.Features, spec.Range == PixelRange.Symmetric ? -1 : 0, 1);
        // A conditional model's classes, each row's own, and the same as ONNX's one-hot label input.
        int[] labels = spec.ConditionClasses is int classes ? Enumerable.Range(0, Rows).Select(_ => random.Next(classes)).ToArray() : [];
        NamedOnnxValue[] labelInput = spec.ConditionClasses is int count ? [OnnxInputs.Label(labels, count)] : [];
        var (position, logVariance) = inference.Encode(images, labels);
        var imageDims = new[] { Rows, spec.InputShape.Channels, spec.InputShape.Height, spec.InputShape.Width };
        var encoded = RunOnnx(Path.Combine(directory, OnnxExport.EncoderFile), [OnnxInputs.Tensor(OnnxExport.ImageName, images, imageDims), .. labelInput]);
        double encoderDifference;
        if (model.IsVariational)
        {
            encoderDifference = Math.Max(
                MaxDifference(encoded[OnnxExport.MeanName], position, [Rows, model.CodeSize], "mean"),
                MaxDifference(encoded[OnnxExport.LogVarianceName], logVariance!, [Rows, model.CodeSize], "log_variance"));
        }
        else
            encoderDifference = MaxDifference(encoded[OnnxExport.CodeName], position, [Rows, model.CodeSize], "code");

        var codes = RandomArray(random, Rows * model.CodeSize, -2, 2);
        var decoded = RunOnnx(Path.Combine(directory, OnnxExport.DecoderFile),
            [OnnxInputs.Tensor(model.IsVariational ? OnnxExport.LatentName : OnnxExport.CodeName, codes, [Rows, model.CodeSize]), .. labelInput]);
        double decoderDifference = MaxDifference(decoded[OnnxExport.ImageName], inference.Decode(codes, labels), imageDims, "image");
        TestContext.Out.WriteLine($"{spec.Description}: max |ONNX Runtime - device| encoder {encoderDifference:E2}, decoder {decoderDifference:E2}");

        var file = Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(directory, OnnxExport.DecoderFile)));
        Assert.That(file.OpsetImport.Single().Version, Is.EqualTo(17));
    }

    [Test]
    public void TheCommandExportsTheRunsWeights()
    {
        var run = Directory.CreateTempSubdirectory("onnx-run").FullName;
        var options = new TrainingOptions(Model: "conv-vae", Epochs: 1, Seed: 1, OutputDirectory: run);
        // Weights from another seed than the run's: a command that rebuilt the model without reading them would export others.
        using var model = options.Spec().Build(Gpu, MaxRows, seed: 2);
        RunDirectory.Save(run, model, options, epoch: 1, optimizerStep: 1, new Dictionary<string, JsonElement>(), history: []);
        var expected = Directory.CreateTempSubdirectory("onnx-expected").FullName;
        OnnxExport.Write(model, expected);

        var exported = Path.Combine(run, "onnx");
        var result = VaeProcess.Run(["export", run, "--onnx", exported]);

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        foreach (var file in new[] { OnnxExport.EncoderFile, OnnxExport.DecoderFile })
            Assert.That(File.ReadAllBytes(Path.Combine(exported, file)), Is.EqualTo(File.ReadAllBytes(Path.Combine(expected, file))), file);
    }

    [Test]
    public void ExportingAFolderWithoutARunNamesTheMissingRunDescription()
    {
        var empty = Directory.CreateTempSubdirectory("onnx-empty").FullName;
        var result = VaeProcess.Run(["export", empty, "--onnx", Path.Combine(empty, "onnx")]);
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain(RunDirectory.DescriptionFile), "export reads run.yaml and model.safetensors");
        Assert.That(Directory.Exists(Path.Combine(empty, "onnx")), Is.False);
    }

    /// <summary>Runs one ONNX file on its inputs; its outputs by name, with their dimensions.</summary>
    private static Dictionary<string, (float[] Values, int[] Dims)> RunOnnx(string path, NamedOnnxValue[] inputs)
    {
        using var session = new InferenceSession(path);
        Assert.That(session.InputMetadata.Keys, Is.EquivalentTo(inputs.Select(i => i.Name)), $"{Path.GetFileName(path)}: its inputs");
        using var results = session.Run(inputs);
        return results.ToDictionary(r => r.Name, r =>
        {
            var tensor = r.AsTensor<float>();
            return (tensor.ToArray(), tensor.Dimensions.ToArray());
        });
    }

    private static double MaxDifference((float[] Values, int[] Dims) onnx, float[] device, int[] dims, string what)
    {
        Assert.That(onnx.Dims, Is.EqualTo(dims), $"{what}: dimensions");
        Assert.That(onnx.Values, Has.Length.EqualTo(device.Length), $"{what}: length");
        double max = 0;
        for (int i = 0; i < device.Length; i++) max = Math.Max(max, Math.Abs(onnx.Values[i] - device[i]));
        Assert.That(max, Is.LessThanOrEqualTo(Tolerance), $"{what}: largest difference from the device");
        return max;
    }
}
