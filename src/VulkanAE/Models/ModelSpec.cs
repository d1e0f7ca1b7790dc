using VulkanAE.Core;
using VulkanAE.Kernels.Activation;
using VulkanAE.Kernels.Data;
using VulkanAE.Models.Layers;

namespace VulkanAE.Models;

/// <summary>One layer of a model declaration.</summary>
internal abstract record LayerSpec
{
    /// <summary>A fully connected layer to <paramref name="Outputs"/> features.</summary>
    public sealed record Dense(int Outputs) : LayerSpec;

    public sealed record Activation(ActivationKind Kind) : LayerSpec;

    /// <summary>torch.nn.Conv2d; <paramref name="Padding"/> null means "same" for stride 1: (k - 1) / 2.</summary>
    public sealed record Conv2d(int OutChannels, int Kernel, int Stride = 1, int? Padding = null) : LayerSpec;

    /// <summary>torch.nn.ConvTranspose2d.</summary>
    public sealed record ConvTranspose2d(int OutChannels, int Kernel, int Stride, int Padding, int OutputPadding = 0) : LayerSpec;

    /// <summary>2x2 max pooling, stride 2.</summary>
    public sealed record MaxPool2 : LayerSpec;

    /// <summary>Nearest-neighbour upsampling by 2.</summary>
    public sealed record Upsample2 : LayerSpec;

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
/// defaults. With <paramref name="Latent"/> set it is a VAE: two dense heads (mean and
/// log-variance of that size) and a sampled code sit between encoder and decoder.
/// Every built-in model is one of these (see <see cref="ModelCatalog"/>).
/// </summary>
/// <param name="Range">The range the model sees pixels in: [0, 1] for a sigmoid output, [-1, 1] for tanh.</param>
internal sealed record ModelSpec(string Name, string Description, TensorShape InputShape,
    LayerSpec[] Encoder, LayerSpec[] Decoder, ReconstructionLoss Loss, TrainingDefaults Defaults, int? Latent = null,
    PixelRange Range = PixelRange.Unit)
{
    public int InputFeatures => InputShape.Size;

    public Autoencoder Build(Gpu gpu, int maxRows, int seed)
    {
        var random = new Random(seed);
        var encoder = BuildNetwork(gpu, "encoder", Encoder, InputShape, maxRows, random);
        var bottleneck = Latent is int latent
            ? new VariationalBottleneck(gpu, encoder.Layers[^1].OutputShape, latent, maxRows, random, (uint)seed)
            : null;
        var decoder = BuildNetwork(gpu, "decoder", Decoder, bottleneck?.OutputShape ?? encoder.Layers[^1].OutputShape, maxRows, random);
        if (decoder.Layers[^1].OutputFeatures != InputFeatures)
            throw new ArgumentException($"model {Name}: the decoder ends with {decoder.Layers[^1].OutputShape} ({decoder.Layers[^1].OutputFeatures} values per sample); the input is {InputShape} ({InputFeatures})");
        return new Autoencoder(gpu, this, encoder, bottleneck, decoder, maxRows);
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
                LayerSpec.Conv2d c => new ConvolutionLayer(gpu, name, shape, c.OutChannels, c.Kernel, c.Stride, c.Padding ?? (c.Kernel - 1) / 2,
                    outputPadding: 0, transposed: false, maxRows, random),
                LayerSpec.ConvTranspose2d t => new ConvolutionLayer(gpu, name, shape, t.OutChannels, t.Kernel, t.Stride, t.Padding,
                    t.OutputPadding, transposed: true, maxRows, random),
                LayerSpec.MaxPool2 => new ResamplingLayer(gpu, name, shape, upsample: false, maxRows),
                LayerSpec.Upsample2 => new ResamplingLayer(gpu, name, shape, upsample: true, maxRows),
                _ => throw new ArgumentException($"model {Name}, {name}: unknown layer {specs[i]}"),
            };
            layers.Add(layer);
            shape = layer.OutputShape;
        }
        if (layers.Count == 0) throw new ArgumentException($"model {Name}: the {prefix} has no layers");
        return new Network(layers);
    }
}
