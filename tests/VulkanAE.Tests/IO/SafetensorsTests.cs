using System.Buffers.Binary;
using System.Text;
using VulkanAE.IO;

namespace VulkanAE.Tests.IO;

[TestFixture]
public class SafetensorsTests
{
    private static Dictionary<string, SafetensorsTensor> SampleTensors() => new()
    {
        ["encoder.weight"] = SafetensorsTensor.FromFloats([1.5f, -2f, 0f, float.Epsilon, 3.25f, -0f], 2, 3),
        ["decoder.bias"] = SafetensorsTensor.FromFloats([0.125f], 1),
        ["step"] = SafetensorsTensor.FromInt32([-7]),
        ["seed"] = SafetensorsTensor.FromUInt32([uint.MaxValue], 1),
        ["empty"] = SafetensorsTensor.FromFloats([], 0, 4),
    };

    /// <summary>Builds a file by hand from the format's specification, independently of the writer.</summary>
    private static byte[] HandBuiltFile(string headerJson, byte[] data)
    {
        byte[] header = Encoding.UTF8.GetBytes(headerJson);
        var file = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)header.Length);
        header.CopyTo(file, 8);
        data.CopyTo(file, 8 + header.Length);
        return file;
    }

    [Test]
    public void WriteThenRead_GivesBackTensorsAndMetadata()
    {
        string path = Path.Combine(Path.GetTempPath(), $"vulkanae-{Guid.NewGuid():N}.safetensors");
        var metadata = new Dictionary<string, string> { ["model"] = "mlp-ae", ["epochs"] = "3" };
        try
        {
            Safetensors.Write(path, SampleTensors(), metadata);
            SafetensorsContent content = Safetensors.Read(path);

            Assert.That(content.Metadata, Is.EquivalentTo(metadata));
            Assert.That(content.Tensors.Keys, Is.EquivalentTo(SampleTensors().Keys));
            Assert.That(content.Tensor("encoder.weight", 2, 3).ToFloats(), Is.EqualTo(new[] { 1.5f, -2f, 0f, float.Epsilon, 3.25f, -0f }));
            Assert.That(BitConverter.SingleToInt32Bits(content.Tensors["encoder.weight"].ToFloats()[5]), Is.EqualTo(BitConverter.SingleToInt32Bits(-0f)));
            Assert.That(content.Tensor("step").ToInt32(), Is.EqualTo(new[] { -7 }));
            Assert.That(content.Tensor("seed", 1).ToUInt32(), Is.EqualTo(new[] { uint.MaxValue }));
            Assert.That(content.Tensor("empty", 0, 4).ElementCount, Is.Zero);
            Assert.That(File.Exists(path + ".partial"), Is.False);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Serialize_IsDeterministic_WhateverTheInsertionOrder()
    {
        var reversed = SampleTensors().Reverse().ToDictionary();

        Assert.That(Safetensors.Serialize(reversed), Is.EqualTo(Safetensors.Serialize(SampleTensors())));
    }

    [Test]
    public void Serialize_FollowsTheFormat_SortedNamesPaddedHeaderLittleEndianData()
    {
        var tensors = new Dictionary<string, SafetensorsTensor>
        {
            ["b"] = SafetensorsTensor.FromFloats([1f], 1),
            ["a"] = SafetensorsTensor.FromFloats([2f, 3f], 2),
        };

        byte[] file = Safetensors.Serialize(tensors, new Dictionary<string, string> { ["k"] = "v" });

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        string header = Encoding.UTF8.GetString(file, 8, (int)headerLength);
        Assert.That(header.TrimEnd(' '), Is.EqualTo(
            """{"__metadata__":{"k":"v"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"""));
        Assert.That((8 + headerLength) % 8, Is.Zero, "data should start 8-byte aligned");
        Assert.That(file[(8 + (int)headerLength)..], Is.EqualTo(BitConverter.GetBytes(2f).Concat(BitConverter.GetBytes(3f)).Concat(BitConverter.GetBytes(1f))));
    }

    [Test]
    public void Deserialize_HandBuiltFile_WithAnyEntryOrder()
    {
        byte[] data = [.. BitConverter.GetBytes(7), .. BitConverter.GetBytes(0.5f), .. BitConverter.GetBytes(-1f)];
        byte[] file = HandBuiltFile(
            """{"w": {"dtype": "F32", "shape": [1, 2], "data_offsets": [4, 12]}, "n": {"dtype": "I32", "shape": [], "data_offsets": [0, 4]}}""",
            data);

        SafetensorsContent content = Safetensors.Deserialize(file, "hand.safetensors");

        Assert.That(content.Tensor("w", 1, 2).ToFloats(), Is.EqualTo(new[] { 0.5f, -1f }));
        Assert.That(content.Tensor("n").ToInt32(), Is.EqualTo(new[] { 7 }));
        Assert.That(content.Metadata, Is.Empty);
    }

    [TestCase("{\"w\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]", "header is not valid JSON")]
    [TestCase("[1, 2]", "header is a JSON Array, not an object")]
    [TestCase("{\"w\": {\"dtype\": \"BF16\", \"shape\": [4], \"data_offsets\": [0, 8]}}", "tensor 'w' has dtype \"BF16\", this reader supports F32, I32, U32")]
    [TestCase("{\"w\": {\"dtype\": \"F32\", \"data_offsets\": [0, 8]}}", "tensor 'w' has no \"shape\"")]
    [TestCase("{\"w\": {\"dtype\": \"F32\", \"shape\": [-2], \"data_offsets\": [0, 8]}}", "tensor 'w' shape holds -2, not a non-negative integer")]
    [TestCase("{\"w\": {\"dtype\": \"F32\", \"shape\": [3], \"data_offsets\": [0, 8]}}", "tensor 'w' has data_offsets [0, 8] but F32 of shape [3] takes 12 bytes")]
    [TestCase("{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]}}", "tensor 'w' starts at data offset 4, expected 0")]
    [TestCase("{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}", "4 bytes after the last tensor's data")]
    [TestCase("{\"w\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 16]}}", "tensor 'w' ends at data offset 16, past the 8 data bytes")]
    [TestCase("{\"__metadata__\": {\"epochs\": 3}}", "__metadata__ value of 'epochs' is a JSON Number, not a string")]
    public void Deserialize_CorruptHeader_ExplainsTheProblem(string headerJson, string expectedProblem)
    {
        byte[] file = HandBuiltFile(headerJson, new byte[8]);

        var error = Assert.Throws<UserInputException>(() => Safetensors.Deserialize(file, "model.safetensors"))!;

        Assert.That(error.Message, Does.StartWith("model.safetensors: not a valid safetensors file: "));
        Assert.That(error.Message, Does.Contain(expectedProblem));
    }

    [Test]
    public void Deserialize_HeaderLengthBeyondFile_SaysTruncated()
    {
        byte[] file = Safetensors.Serialize(SampleTensors())[..20];

        var error = Assert.Throws<UserInputException>(() => Safetensors.Deserialize(file, "cut.safetensors"))!;

        Assert.That(error.Message, Does.Contain("cut.safetensors: not a valid safetensors file: header length"));
        Assert.That(error.Message, Does.Contain("truncated"));
    }

    [Test]
    public void Deserialize_TooShortForHeaderLength_SaysSo()
    {
        var error = Assert.Throws<UserInputException>(() => Safetensors.Deserialize([1, 2, 3], "tiny.safetensors"))!;

        Assert.That(error.Message, Does.Contain("3 bytes, shorter than the 8-byte header length"));
    }

    [Test]
    public void Tensor_MissingOrOtherShape_NamesFileAndTensor()
    {
        SafetensorsContent content = Safetensors.Deserialize(Safetensors.Serialize(SampleTensors()), "ckpt.safetensors");

        var missing = Assert.Throws<UserInputException>(() => content.Tensor("encoder.bias", 4))!;
        var reshaped = Assert.Throws<UserInputException>(() => content.Tensor("encoder.weight", 3, 2))!;

        Assert.That(missing.Message, Does.StartWith("ckpt.safetensors: no tensor 'encoder.bias' (it has: decoder.bias, empty, encoder.weight, seed, step)"));
        Assert.That(reshaped.Message, Does.StartWith("ckpt.safetensors: tensor 'encoder.weight' has shape [2, 3], expected [3, 2]"));
    }

    [Test]
    public void Serialize_MetadataKeyAsTensorName_IsRejected()
    {
        var tensors = new Dictionary<string, SafetensorsTensor> { [Safetensors.MetadataKey] = SafetensorsTensor.FromFloats([1f], 1) };

        Assert.Throws<ArgumentException>(() => Safetensors.Serialize(tensors));
    }
}
