namespace VulkanAE.IO;

/// <summary>What a safetensors file holds: named tensors and string metadata.</summary>
/// <param name="Source">The file the content came from, named in error messages.</param>
internal sealed record SafetensorsContent(
    string Source,
    IReadOnlyDictionary<string, SafetensorsTensor> Tensors,
    IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>The tensor called <paramref name="name"/>, checked against the shape the caller expects.</summary>
    /// <exception cref="UserInputException">No such tensor, or another shape: the message names the file and lists what it has.</exception>
    public SafetensorsTensor Tensor(string name, params int[] expectedShape)
    {
        if (!Tensors.TryGetValue(name, out var tensor))
        {
            throw new UserInputException($"{Source}: no tensor '{name}' (it has: {string.Join(", ", Tensors.Keys.Order(StringComparer.Ordinal))})");
        }

        if (!tensor.Shape.SequenceEqual(expectedShape))
        {
            throw new UserInputException(
                $"{Source}: tensor '{name}' has shape [{string.Join(", ", tensor.Shape)}], expected [{string.Join(", ", expectedShape)}]: was it saved by another model configuration?");
        }

        return tensor;
    }

    /// <summary>The elements of the F32 tensor <paramref name="name"/>, checked against the expected shape and type.</summary>
    public float[] Floats(string name, params int[] expectedShape)
    {
        var tensor = Tensor(name, expectedShape);
        if (tensor.DType != SafetensorsDType.F32)
            throw new UserInputException($"{Source}: tensor '{name}' holds {tensor.DType} elements, expected F32: the file was not written by this program");
        return tensor.ToFloats();
    }
}
