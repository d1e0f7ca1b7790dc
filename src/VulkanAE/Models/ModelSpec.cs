using VulkanAE.Core;
using VulkanAE.Kernels.Activation;
using VulkanAE.Models.Layers;

namespace VulkanAE.Models;

/// <summary>One layer of a model declaration.</summary>
internal abstract record LayerSpec
{
    /// <summary>A fully connected layer to <paramref name="Outputs"/> features.</summary>
    public sealed record Dense(int Outputs) : LayerSpec;

    public sealed record Activation(ActivationKind Kind) : LayerSpec;
}

/// <summary>The loss between a reconstruction and its target.</summary>
public enum ReconstructionLoss
{
    /// <summary>Binary cross-entropy per pixel, averaged; fused with a final sigmoid for stability.</summary>
    BinaryCrossEntropy,

    /// <summary>Squared error per pixel, averaged.</summary>
    MeanSquaredError,
}

/// <summary>Defaults a model's reference write-up trained it with.</summary>
internal sealed record TrainingDefaults(int Epochs, int BatchSize, float LearningRate);

/// <summary>
/// An autoencoder declared as data: encoder and decoder layer lists, a loss and training
/// defaults. Every built-in model is one of these (see <see cref="ModelCatalog"/>).
/// </summary>
internal sealed record ModelSpec(string Name, string Description, int InputFeatures,
    LayerSpec[] Encoder, LayerSpec[] Decoder, ReconstructionLoss Loss, TrainingDefaults Defaults)
{
    public Autoencoder Build(Gpu gpu, int maxRows, int seed)
    {
        var random = new Random(seed);
        var encoder = BuildNetwork(gpu, "encoder", Encoder, InputFeatures, maxRows, random);
        var decoder = BuildNetwork(gpu, "decoder", Decoder, encoder.Layers[^1].OutputFeatures, maxRows, random);
        if (decoder.Layers[^1].OutputFeatures != InputFeatures)
            throw new ArgumentException($"model {Name}: the decoder ends with {decoder.Layers[^1].OutputFeatures} features, the input has {InputFeatures}");
        return new Autoencoder(gpu, this, encoder, decoder, maxRows);
    }

    private static Network BuildNetwork(Gpu gpu, string prefix, LayerSpec[] specs, int inputs, int maxRows, Random random)
    {
        var layers = new List<Layer>();
        int features = inputs;
        for (int i = 0; i < specs.Length; i++)
        {
            string name = $"{prefix}.{i}";
            Layer layer = specs[i] switch
            {
                LayerSpec.Dense d => new DenseLayer(gpu, name, features, d.Outputs, maxRows, random),
                LayerSpec.Activation a => new ActivationLayer(gpu, name, a.Kind, features, maxRows),
                _ => throw new ArgumentException($"{name}: unknown layer {specs[i]}"),
            };
            layers.Add(layer);
            features = layer.OutputFeatures;
        }
        return new Network(layers);
    }
}
