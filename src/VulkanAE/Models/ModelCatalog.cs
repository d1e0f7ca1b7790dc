using VulkanAE.Kernels.Activation;
using VulkanAE.Models.Layers;
using static VulkanAE.Models.LayerSpec;

namespace VulkanAE.Models;

/// <summary>Choices a user may make about a built-in model's size: <c>--latent</c> and <c>--hidden</c>.</summary>
internal sealed record ModelOptions(int? Latent = null, int[]? Hidden = null);

/// <summary>A built-in model: its name for <c>--model</c>, what it is, and how to declare it for given options.</summary>
internal sealed record CatalogEntry(string Name, string Description, Func<ModelOptions, ModelSpec> Declare);

/// <summary>The built-in models of the reference write-ups, by the name `vae train --model NAME` takes.</summary>
internal static class ModelCatalog
{
    private static readonly Activation Relu = new(ActivationKind.Relu);
    private static readonly Activation Sigmoid = new(ActivationKind.Sigmoid);
    private static readonly TensorShape Mnist = new(1, 28, 28);

    public static IReadOnlyList<CatalogEntry> All { get; } =
    [
        new("fc-ae", "dense autoencoder 784-128-32-128-784, ReLU, sigmoid output, BCE per pixel", o =>
        {
            int code = o.Latent ?? 32;
            int hidden = Single(o.Hidden, 128, "fc-ae");
            return new ModelSpec("fc-ae", $"dense autoencoder 784-{hidden}-{code}", Mnist,
                [new Dense(hidden), Relu, new Dense(code)],
                [new Dense(hidden), Relu, new Dense(784), Sigmoid],
                ReconstructionLoss.BinaryCrossEntropy, new TrainingDefaults(Epochs: 10, BatchSize: 256, LearningRate: 1e-3f));
        }),
        new("conv-ae", "convolutional autoencoder, 3x3 convs with 32 channels, max-pool/upsample 28-14-7, BCE per pixel", o =>
        {
            NoOptions(o, "conv-ae");
            return new ModelSpec("conv-ae", "convolutional autoencoder 1x28x28 -> 32x7x7", Mnist,
                [new Conv2d(32, 3), Relu, new MaxPool2(), new Conv2d(32, 3), Relu, new MaxPool2()],
                [new Conv2d(32, 3), Relu, new Upsample2(), new Conv2d(32, 3), Relu, new Upsample2(), new Conv2d(1, 3), Sigmoid],
                ReconstructionLoss.BinaryCrossEntropy, new TrainingDefaults(Epochs: 3, BatchSize: 256, LearningRate: 1e-3f));
        }),
        new("conv-vae", "convolutional VAE, strided 3x3 convs 32/64, dense 16, latent 2 (--latent), BCE sum + KL", o =>
        {
            int latent = o.Latent ?? 2;
            int hidden = Single(o.Hidden, 16, "conv-vae");
            return new ModelSpec("conv-vae", $"convolutional VAE, latent {latent}", Mnist,
                [new Conv2d(32, 3, Stride: 2, Padding: 1), Relu, new Conv2d(64, 3, Stride: 2, Padding: 1), Relu,
                 new Reshape(64 * 7 * 7), new Dense(hidden), Relu],
                [new Dense(64 * 7 * 7), Relu, new Reshape(64, 7, 7),
                 new ConvTranspose2d(64, 3, Stride: 2, Padding: 1, OutputPadding: 1), Relu,
                 new ConvTranspose2d(32, 3, Stride: 2, Padding: 1, OutputPadding: 1), Relu,
                 new Conv2d(1, 3), Sigmoid],
                ReconstructionLoss.BinaryCrossEntropy, new TrainingDefaults(Epochs: 10, BatchSize: 128, LearningRate: 1e-3f), latent);
        }),
        new("fc-vae", "dense VAE 784-400-(20)-400-784 (--hidden, --latent), BCE sum + KL", o =>
        {
            int latent = o.Latent ?? 20;
            var hidden = o.Hidden ?? [400];
            var encoder = hidden.SelectMany(h => new LayerSpec[] { new Dense(h), Relu }).ToArray();
            var decoder = hidden.Reverse().SelectMany(h => new LayerSpec[] { new Dense(h), Relu }).Append(new Dense(784)).Append(Sigmoid).ToArray();
            return new ModelSpec("fc-vae", $"dense VAE 784-{string.Join("-", hidden)}-({latent})", Mnist, encoder, decoder,
                ReconstructionLoss.BinaryCrossEntropy, new TrainingDefaults(Epochs: 10, BatchSize: 128, LearningRate: 1e-3f), latent);
        }),
    ];

    public static IEnumerable<string> Names => All.Select(m => m.Name);

    public static ModelSpec Create(string name, ModelOptions? options = null)
    {
        var entry = All.FirstOrDefault(m => m.Name == name)
            ?? throw new ArgumentException($"unknown model '{name}'; available: {string.Join(", ", Names)}");
        return entry.Declare(options ?? new ModelOptions());
    }

    private static int Single(int[]? hidden, int fallback, string model) => hidden switch
    {
        null => fallback,
        [var width] => width,
        _ => throw new ArgumentException($"--hidden: {model} has one hidden width; got {string.Join(",", hidden)}"),
    };

    private static void NoOptions(ModelOptions options, string model)
    {
        if (options.Latent is not null || options.Hidden is not null)
            throw new ArgumentException($"{model} has a fixed shape: --latent and --hidden do not apply");
    }
}
