using VulkanAE.IO;
using VulkanAE.Models;
using VulkanAE.Models.Layers;

namespace VulkanAE.Training;

/// <summary>
/// A model's weights as a safetensors file holds them (model.safetensors, or foreign weights
/// entering through `vae import`): one F32 tensor per parameter, named and shaped as PyTorch's
/// state_dict, nothing else.
/// </summary>
internal static class ModelWeights
{
    /// <summary>
    /// Throws a <see cref="UserInputException"/> unless <paramref name="weights"/> holds exactly the
    /// model's parameters, each with its shape, as F32. The message names the first tensor that
    /// does not fit (in the model's order) and every missing and extra one.
    /// </summary>
    public static void Check(SafetensorsContent weights, Autoencoder model)
    {
        string? firstMisfit = null;
        var missing = new List<string>();
        foreach (var p in model.Parameters)
        {
            if (!weights.Tensors.TryGetValue(p.Name, out var tensor))
            {
                missing.Add(p.Name);
                continue;
            }
            if (firstMisfit is not null) continue;
            if (!tensor.Shape.SequenceEqual(p.Shape))
                firstMisfit = $"tensor '{p.Name}' has shape {Shape(tensor.Shape)}, the model expects {Shape(p.Shape)}";
            else if (tensor.DType != SafetensorsDType.F32)
                firstMisfit = $"tensor '{p.Name}' holds {tensor.DType} elements, the model expects F32 (in PyTorch: tensor.float())";
        }
        var names = model.Parameters.Select(p => p.Name).ToHashSet();
        var extra = weights.Tensors.Keys.Where(name => !names.Contains(name)).Order(StringComparer.Ordinal).ToList();
        if (firstMisfit is null && missing.Count == 0 && extra.Count == 0) return;

        var problems = new List<string>();
        if (firstMisfit is not null) problems.Add(firstMisfit);
        if (missing.Count > 0) problems.Add($"missing: {string.Join(", ", missing)}");
        if (extra.Count > 0) problems.Add($"extra: {string.Join(", ", extra)}");
        throw new UserInputException($"{weights.Source} does not fit model {model.Spec.Name} ({model.Spec.Description}): {string.Join("; ", problems)}. "
            + "Its tensors must be named and shaped as the model's PyTorch state_dict (README: A run directory)");
    }

    /// <summary>Copies checked weights into the model on the device, each refused first if it holds NaN or infinite values.</summary>
    public static void Upload(SafetensorsContent weights, Autoencoder model)
    {
        foreach (var p in model.Parameters) p.Value.Upload<float>(FiniteFloats(weights, p.Name, p.Shape));
    }

    public static float[] FiniteFloats(SafetensorsContent content, string name, int[] shape)
    {
        var values = content.Floats(name, shape);
        int nonFinite = values.Count(v => !float.IsFinite(v));
        if (nonFinite > 0)
            throw new UserInputException($"{content.Source}: tensor '{name}' holds {nonFinite} values that are NaN or infinite: the run diverged. "
                + "Train it again with a lower --lr (or with --clip-grad)");
        return values;
    }

    /// <summary>The first parameter whose values differ between two weight sets (one missing counts), or null when they agree.</summary>
    public static string? FirstDifference(SafetensorsContent a, SafetensorsContent b, IEnumerable<string> names)
        => names.FirstOrDefault(name => !(a.Tensors.TryGetValue(name, out var x) && b.Tensors.TryGetValue(name, out var y)
            && x.DType == y.DType && x.Shape.SequenceEqual(y.Shape) && x.Data.AsSpan().SequenceEqual(y.Data)));

    private static string Shape(int[] shape) => $"[{string.Join(", ", shape)}]";
}
