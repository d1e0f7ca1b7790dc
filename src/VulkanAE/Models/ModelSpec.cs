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

    /// <summary>Reinterprets each sample with another shape of the same size (flatten, unflatten); moves no data.</summary>
    public sealed record Reshape(int Channels, int Height = 1, int Width = 1) : LayerSpec;
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
internal sealed record ModelSpec(string Name, string Description, TensorShape InputShape,
    LayerSpec[] Encoder, LayerSpec[] Decoder, ReconstructionLoss Loss, TrainingDefaults Defaults)
{
    public int InputFeatures => InputShape.Size;

    public Autoencoder Build(Gpu gpu, int maxRows, int seed)
    {
        var random = new Random(seed);
        var encoder = BuildNetwork(gpu, "encoder", Encoder, InputShape, maxRows, random);
        var decoder = BuildNetwork(gpu, "decoder", Decoder, encoder.Layers[^1].OutputShape, maxRows, random);
        if (decoder.Layers[^1].OutputShape != InputShape)
            throw new ArgumentException($"model {Name}: the decoder ends with shape {decoder.Layers[^1].OutputShape}, the input is {InputShape}");
        return new Autoencoder(gpu, this, encoder, decoder, maxRows);
    }

    /// <summary>
    /// Layer i of a network is named PREFIX.i, counting reshapes, as PyTorch's nn.Sequential names
    /// its modules (nn.Flatten / nn.Unflatten take an index too), so weights map one to one.
    /// </summary>
    private Network BuildNetwork(Gpu gpu, string prefix, LayerSpec[] specs, TensorShape input, int maxRows, Random random)
    {
        var layers = new List<Layer>();
        var shape = input;
        for (int i = 0; i < specs.Length; i++)
        {
            string name = $"{prefix}.{i}";
            if (specs[i] is LayerSpec.Reshape reshape)
            {
                var reshaped = new TensorShape(reshape.Channels, reshape.Height, reshape.Width);
                if (reshaped.Size != shape.Size)
                    throw new ArgumentException($"model {Name}, {name}: cannot reshape {shape} ({shape.Size} values) to {reshaped} ({reshaped.Size} values)");
                shape = reshaped;
                continue;
            }
            Layer layer = specs[i] switch
            {
                LayerSpec.Dense d => new DenseLayer(gpu, name, shape, d.Outputs, maxRows, random),
                LayerSpec.Activation a => new ActivationLayer(gpu, name, a.Kind, shape, maxRows),
                _ => throw new ArgumentException($"model {Name}, {name}: unknown layer {specs[i]}"),
            };
            layers.Add(layer);
            shape = layer.OutputShape;
        }
        if (layers.Count == 0) throw new ArgumentException($"model {Name}: the {prefix} has no layers");
        return new Network(layers);
    }
}
