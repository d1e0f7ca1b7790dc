using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using VulkanAE.Export;
using VulkanAE.Tests.Export;
using VulkanAE.Training;

namespace VulkanAE.Tests.Api;

/// <summary>
/// The public facade as a user calls it: train with a callback per epoch, open a device, load the run,
/// encode, decode, reconstruct and sample. Its numbers are checked against ONNX Runtime on the files the
/// facade exports (an implementation that shares no code with ours), its reports against metrics.csv;
/// a conditional VAE's likewise, with a class given per image.
/// </summary>
public sealed class PublicApiTests
{
    private const int Images = 5;

    [Test]
    public void TrainingReportsEveryEpochAndTheRunLoadsForInference()
    {
        var run = Directory.CreateTempSubdirectory("api-train").FullName;
        var reports = new List<EpochReport>();
        var returned = ModelTraining.Train(new TrainingSettings("fc-vae", run) { Epochs = 2, Limit = 64, BatchSize = 32, Latent = 2, Validation = true },
            reports.Add);

        Assert.That(returned, Is.EqualTo(reports));
        Assert.That(reports.Select(r => (r.Epoch, r.Epochs)), Is.EqualTo(new[] { (1, 2), (2, 2) }));
        var metrics = EpochMetrics.ReadCsv(Path.Combine(run, RunDirectory.MetricsFile));
        Assert.That(reports.Select(r => r.TestLoss), Is.EqualTo(metrics.Select(m => m.TestLoss)).Within(1e-6).Percent);
        Assert.That(reports.Select(r => r.TrainLoss), Is.EqualTo(metrics.Select(m => m.TrainLoss)).Within(1e-6).Percent);

        using var device = VulkanDevice.Open(validation: true);
        using var model = TrainedModel.Load(device, run);
        Assert.That((model.Name, model.CodeSize, model.IsVariational, model.ImageShape), Is.EqualTo(("fc-vae", 2, true, new ImageShape(1, 28, 28))));

        var images = GpuTest.RandomArray(new Random(4), Images * model.ImageShape.Size, model.MinPixel, model.MaxPixel);
        var encoding = model.Encode(images);
        var onnx = Path.Combine(run, "onnx");
        model.ExportOnnx(onnx);
        var encoded = RunOnnx(Path.Combine(onnx, OnnxExport.EncoderFile), OnnxInputs.Tensor(OnnxExport.ImageName, images, [Images, 1, 28, 28]));
        GpuTest.AssertClose(encoding.Codes, encoded[OnnxExport.MeanName], rtol: 0, atol: 1e-5f, what: "codes");
        GpuTest.AssertClose(encoding.LogVariances, encoded[OnnxExport.LogVarianceName], rtol: 0, atol: 1e-5f, what: "log-variances");
        var decoded = RunOnnx(Path.Combine(onnx, OnnxExport.DecoderFile), OnnxInputs.Tensor(OnnxExport.LatentName, encoding.Codes, [Images, 2]));
        GpuTest.AssertClose(model.Decode(encoding.Codes), decoded[OnnxExport.ImageName], rtol: 0, atol: 1e-5f, what: "decoded");

        var reconstructions = model.Reconstruct(images);
        Assert.That(reconstructions, Has.Length.EqualTo(images.Length).And.All.InRange(model.MinPixel, model.MaxPixel));
        Assert.That(model.Sample(3, seed: 5), Is.EqualTo(model.Sample(3, seed: 5)).And.Not.EqualTo(model.Sample(3, seed: 6)));
        Assert.That(model.Sample(3, seed: 5), Has.Length.EqualTo(3 * model.ImageShape.Size).And.All.InRange(0f, 1f));
        device.Gpu.Instance.ThrowIfValidationFailed();
    }

    [Test]
    public void InputsOfTheWrongSizeAndSamplingAnAutoencoderAreRefused()
    {
        var run = Directory.CreateTempSubdirectory("api-ae").FullName;
        using var device = VulkanDevice.Open(validation: true);
        var options = new TrainingOptions(Model: "fc-ae", Epochs: 1, OutputDirectory: run);
        using (var built = options.Spec().Build(device.Gpu, maxRows: 4, options.Seed))
            RunDirectory.Save(run, built, options, epoch: 1, optimizerStep: 1, new Dictionary<string, JsonElement>(), history: []);
        using var model = TrainedModel.Load(device, run);

        Assert.That(() => model.Encode(new float[785]), Throws.ArgumentException.With.Message.Contains("1x28x28"));
        Assert.That(() => model.Decode(new float[33]), Throws.ArgumentException.With.Message.Contains("32"));
        Assert.That(() => model.Sample(1), Throws.InvalidOperationException.With.Message.Contains("not a VAE"));
        Assert.That(() => model.Decode(new float[32], [1]), Throws.ArgumentException.With.Message.Contains("not conditioned on labels"));
        Assert.That(() => model.WriteLatentGrid(Path.Combine(run, "grid.png")), Throws.InvalidOperationException.With.Message.Contains("2-D"));
    }

    [Test]
    public void AConditionalModelTakesAClassPerImageAndRefusesCallsWithout()
    {
        var run = Directory.CreateTempSubdirectory("api-cvae").FullName;
        using var device = VulkanDevice.Open(validation: true);
        var options = new TrainingOptions(Model: "fc-vae", Epochs: 1, OutputDirectory: run, Hidden: [16], Latent: 2, Condition: TrainingOptions.LabelCondition,
            ConditionClasses: 10);
        // Four rows a chunk, so the five images are encoded in two chunks, each with its own labels.
        using (var built = options.Spec().Build(device.Gpu, maxRows: 4, options.Seed))
            RunDirectory.Save(run, built, options, epoch: 1, optimizerStep: 1, new Dictionary<string, JsonElement>(), history: []);
        using var model = TrainedModel.Load(device, run);
        Assert.That(model.ConditionClasses, Is.EqualTo(10));

        var images = GpuTest.RandomArray(new Random(4), Images * model.ImageShape.Size, model.MinPixel, model.MaxPixel);
        int[] labels = [0, 3, 9, 3, 5];
        var label = OnnxInputs.Label(labels, 10);
        var onnx = Path.Combine(run, "onnx");
        model.ExportOnnx(onnx);
        var encoding = model.Encode(images, labels);
        var encoded = RunOnnx(Path.Combine(onnx, OnnxExport.EncoderFile), OnnxInputs.Tensor(OnnxExport.ImageName, images, [Images, 1, 28, 28]), label);
        GpuTest.AssertClose(encoding.Codes, encoded[OnnxExport.MeanName], rtol: 0, atol: 1e-5f, what: "codes");
        GpuTest.AssertClose(encoding.LogVariances, encoded[OnnxExport.LogVarianceName], rtol: 0, atol: 1e-5f, what: "log-variances");
        var decoded = RunOnnx(Path.Combine(onnx, OnnxExport.DecoderFile), OnnxInputs.Tensor(OnnxExport.LatentName, encoding.Codes, [Images, 2]), label);
        GpuTest.AssertClose(model.Decode(encoding.Codes, labels), decoded[OnnxExport.ImageName], rtol: 0, atol: 1e-5f, what: "decoded");
        Assert.That(model.Reconstruct(images, labels), Has.Length.EqualTo(images.Length).And.All.InRange(model.MinPixel, model.MaxPixel));
        Assert.That(model.Sample(3, seed: 5, label: 7), Is.EqualTo(model.Sample(3, seed: 5, label: 7)).And.Not.EqualTo(model.Sample(3, seed: 5, label: 1)));
        Assert.That(model.WriteLatentGrid(Path.Combine(run, "sevens.png"), label: 7).Select(File.Exists), Is.All.True);

        string classes = "conditioned on 10 classes: give each of the 5 images a class from 0 to 9";
        Assert.That(() => model.Encode(images), Throws.ArgumentException.With.Message.Contains(classes + " (0 labels given)"));
        Assert.That(() => model.Reconstruct(images, [1]), Throws.ArgumentException.With.Message.Contains(classes + " (1 label given)"));
        Assert.That(() => model.Encode(images, [0, 1, 2, 3, 10]), Throws.ArgumentException.With.Message.Contains(classes));
        Assert.That(() => model.Decode(encoding.Codes), Throws.ArgumentException.With.Message.Contains("give each of the 5 codes a class"));
        Assert.That(() => model.Sample(3), Throws.ArgumentException.With.Message.Contains("conditional VAE: give the class to sample (label), from 0 to 9"));
        Assert.That(() => model.WriteLatentGrid(Path.Combine(run, "grid.png")), Throws.ArgumentException.With.Message.Contains("conditional VAE"));
        device.Gpu.Instance.ThrowIfValidationFailed();
    }

    [Test]
    public void CancelledTrainingStopsWithACheckpointToResume()
    {
        var run = Directory.CreateTempSubdirectory("api-cancel").FullName;
        var reports = new List<EpochReport>();
        var returned = ModelTraining.Train(new TrainingSettings("fc-ae", run) { Epochs = 1, Limit = 64, BatchSize = 32, Validation = true }, reports.Add,
            new CancellationToken(canceled: true));

        Assert.That(returned, Is.Empty);
        Assert.That(reports, Is.Empty);
        Assert.That(File.Exists(Path.Combine(run, RunDirectory.CheckpointFile)));
    }

    private static Dictionary<string, float[]> RunOnnx(string path, params NamedOnnxValue[] inputs)
    {
        using var session = new InferenceSession(path);
        using var results = session.Run(inputs);
        return results.ToDictionary(r => r.Name, r => r.AsTensor<float>().ToArray());
    }
}
