using VulkanAE.IO;
using VulkanAE.Training;

namespace VulkanAE.Tests.Robustness;

/// <summary>Each wrong checkpoint field the hostile-user trial of issue 11 found is a clear error naming the file and the field.</summary>
public class CheckpointMetadataTests
{
    private const string Source = "runs/x/checkpoint.safetensors";

    internal static Dictionary<string, string> Valid(EpochPosition? partial = null)
    {
        var metadata = new Dictionary<string, string>();
        new CheckpointMetadata(new TrainingOptions(Epochs: 3, BatchSize: 32, Limit: 64), 1, 2, partial).WriteTo(metadata);
        return metadata;
    }

    private static string ErrorFor(string key, string? value, EpochPosition? partial = null)
    {
        var metadata = Valid(partial);
        if (value is null) metadata.Remove(key);
        else metadata[key] = value;
        return Assert.Throws<UserInputException>(() => CheckpointMetadata.Read(Source, metadata))!.Message;
    }

    [Test]
    public void WhatIsWrittenReadsBack()
    {
        var partial = new EpochPosition(2, 1, [0.5f]);
        var read = CheckpointMetadata.Read(Source, Valid(partial));
        Assert.That((read.Epoch, read.OptimizerStep, read.Partial!.Step, read.Options.Limit), Is.EqualTo((1, 2u, 1, 64)));
    }

    [TestCase(CheckpointMetadata.EpochKey, "abc", "not a whole number")]
    [TestCase(CheckpointMetadata.EpochKey, "99999999999", "not a whole number")]
    [TestCase(CheckpointMetadata.EpochKey, "-5", "0 epochs or more")]
    [TestCase(CheckpointMetadata.EpochKey, "4", "past the 3 epochs")]
    [TestCase(CheckpointMetadata.EpochKey, null, "is missing")]
    [TestCase(CheckpointMetadata.OptimizerStepKey, "-1", "not a whole number")]
    [TestCase(CheckpointMetadata.OptimizerStepKey, "0", "fewer than the 1 steps")]
    [TestCase(CheckpointMetadata.OptionsKey, "{not json", "not the JSON object")]
    [TestCase(CheckpointMetadata.OptionsKey, "[1, 2]", "not the JSON object")]
    [TestCase(CheckpointMetadata.OptionsKey, "null", "is null")]
    [TestCase(CheckpointMetadata.OptionsKey, """{"Model":"fc-ae","Epochs":"ten"}""", "not the JSON object")]
    [TestCase(CheckpointMetadata.OptionsKey, """{"Model":"fc-ae","Epochs":3,"LearningRate":-1}""", "LearningRate")]
    [TestCase(CheckpointMetadata.OptionsKey, """{"Model":"fc-ae","Epochs":3,"Hidden":[0]}""", "Hidden")]
    [TestCase(CheckpointMetadata.OptionsKey, """{"Model":"resnet","Epochs":3}""", "no valid model")]
    [TestCase(CheckpointMetadata.OptionsKey, """{"Model":"fc-vae","Epochs":3,"Latent":2000000000}""", "no valid model")]
    [TestCase(CheckpointMetadata.OptionsKey, """{"Model":null,"Epochs":3}""", "has no Model")]
    [TestCase(CheckpointMetadata.PartialEpochKey, "zz", "not the JSON object")]
    [TestCase(CheckpointMetadata.PartialEpochKey, """{"Epoch":5,"Step":1,"LossSums":[1]}""", "within epoch 2")]
    [TestCase(CheckpointMetadata.PartialEpochKey, """{"Epoch":2,"Step":0,"LossSums":[1]}""", "step 0")]
    [TestCase(CheckpointMetadata.PartialEpochKey, """{"Epoch":2,"Step":1}""", "no LossSums")]
    [TestCase(CheckpointMetadata.KernelChoicesKey, "{\"matmul", "not the JSON object")]
    [TestCase(CheckpointMetadata.KernelChoicesKey, "null", "is null")]
    [TestCase(CheckpointMetadata.OptionsKey, """{"Model":"fc-ae","Epochs":3,"TuneSeconds":-1}""", "TuneSeconds")]
    [TestCase(CheckpointMetadata.OptionsKey, """{"Model":"fc-ae","Epochs":3,"DeviceDatasetMegabytes":0}""", "DeviceDatasetMegabytes")]
    public void AWrongFieldIsNamedWithTheFileAndTheFix(string key, string? value, string problem)
    {
        var message = ErrorFor(key, value);
        Assert.That(message, Does.StartWith(Source).And.Contain(key).And.Contain(problem).And.Contain("train the run again"));
    }

    [Test]
    public void AnI32TensorWhereF32IsExpectedIsNamed()
    {
        var content = new SafetensorsContent(Source, new Dictionary<string, SafetensorsTensor>
        {
            ["encoder.0.bias"] = SafetensorsTensor.FromInt32([1, 2], 2),
        }, new Dictionary<string, string>());
        var error = Assert.Throws<UserInputException>(() => content.Floats("encoder.0.bias", 2))!;
        Assert.That(error.Message, Does.Contain(Source).And.Contain("encoder.0.bias").And.Contain("I32").And.Contain("F32"));
        Assert.That(Assert.Throws<UserInputException>(() => content.Floats("encoder.0.bias", 3))!.Message, Does.Contain("expected [3]"));
    }
}
