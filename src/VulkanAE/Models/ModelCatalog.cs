using VulkanAE.Kernels.Activation;
using VulkanAE.Kernels.Data;
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
    private static readonly Activation Tanh = new(ActivationKind.Tanh);
    private static readonly TensorShape Mnist = new(1, 28, 28);
    private static readonly TensorShape Face = new(3, 64, 64);

    public static IReadOnlyList<CatalogEntry> All { get; } =
    [
        new("fc-ae", "dense autoencoder 784-128-32-128-784, ReLU, sigmoid output, BCE per pixel", o =>
        {
            int code = o.Latent ?? 32;
            int hidden = Single(o.Hidden, 128, "fc-ae");
            return new ModelSpec("fc-ae", $"dense autoencoder 784-{hidden}-{code}", Mnist,
                [new Dense(hidden), Relu, new Dense(code)],
                [new Dense(hidden), Relu, new Dense(784)], ActivationKind.Sigmoid,
                ReconstructionLoss.BinaryCrossEntropy, new TrainingDefaults(Epochs: 10, BatchSize: 256, LearningRate: 1e-3f));
        }),
        new("conv-ae", "convolutional autoencoder, 3x3 convs with 32 channels, max-pool/upsample 28-14-7, BCE per pixel", o =>
        {
            NoOptions(o, "conv-ae");
            return new ModelSpec("conv-ae", "convolutional autoencoder 1x28x28 -> 32x7x7", Mnist,
                [new Conv2d(32, 3), Relu, new MaxPool2(), new Conv2d(32, 3), Relu, new MaxPool2()],
                [new Conv2d(32, 3), Relu, new Upsample2(), new Conv2d(32, 3), Relu, new Upsample2(), new Conv2d(1, 3)], ActivationKind.Sigmoid,
                // The write-up's schedule: 10 epochs of batch 256.
                ReconstructionLoss.BinaryCrossEntropy, new TrainingDefaults(Epochs: 10, BatchSize: 256, LearningRate: 1e-3f));
        }),
        new("conv-vae", "convolutional VAE, strided 3x3 convs 32/64, dense 16, latent 2 (--latent), BCE sum + KL", o =>
        {
            int latent = o.Latent ?? 2;
            int hidden = Single(o.Hidden, 16, "conv-vae");
            return new ModelSpec("conv-vae", $"convolutional VAE, latent {latent}", Mnist,
                [new Conv2d(32, 3, Stride: 2, Padding: 1), Relu, new Conv2d(64, 3, Stride: 2, Padding: 1), Relu,
                 new Flatten(), new Dense(hidden), Relu],
                [new Dense(64 * 7 * 7), Relu, new Reshape(64, 7, 7),
                 new ConvTranspose2d(64, 3, Stride: 2, Padding: 1, OutputPadding: 1), Relu,
                 new ConvTranspose2d(32, 3, Stride: 2, Padding: 1, OutputPadding: 1), Relu,
                 new Conv2d(1, 3)], ActivationKind.Sigmoid,
                // The write-up's schedule: 20 epochs of batch 128, Adam 1e-3.
                ReconstructionLoss.BinaryCrossEntropy, new TrainingDefaults(Epochs: 20, BatchSize: 128, LearningRate: 1e-3f), latent);
        }),
        new("fc-vae", "dense VAE 784-400-(20)-400-784 (--hidden, --latent), BCE sum + KL", o =>
        {
            int latent = o.Latent ?? 20;
            var hidden = o.Hidden ?? [400];
            var encoder = hidden.SelectMany(h => new LayerSpec[] { new Dense(h), Relu }).ToArray();
            var decoder = hidden.Reverse().SelectMany(h => new LayerSpec[] { new Dense(h), Relu }).Append(new Dense(784)).ToArray();
            return new ModelSpec("fc-vae", $"dense VAE 784-{string.Join("-", hidden)}-({latent})", Mnist, encoder, decoder, ActivationKind.Sigmoid,
                ReconstructionLoss.BinaryCrossEntropy, new TrainingDefaults(Epochs: 10, BatchSize: 128, LearningRate: 1e-3f), latent);
        }),
        new("fc-vae-2d", "the dense VAE write-up's model 784-2000-256-(2)-256-2000-784, ReLU, sigmoid output, BCE sum + KL; batch 64, 100 epochs", o =>
        {
            NoOptions(o, "fc-vae-2d");
            // The write-up states only parameter counts, encoder 2,083,284 and decoder 2,083,552:
            // these widths are the only ones that give both.
            return new ModelSpec("fc-vae-2d", "dense VAE 784-2000-256-(2)", Mnist,
                [new Dense(2000), Relu, new Dense(256), Relu],
                [new Dense(256), Relu, new Dense(2000), Relu, new Dense(784)], ActivationKind.Sigmoid,
                ReconstructionLoss.BinaryCrossEntropy, new TrainingDefaults(Epochs: 100, BatchSize: 64, LearningRate: 1e-3f), Latent: 2);
        }),
        new("fc-ae-48", "dense autoencoder 784-144-72-48-72-144-784, tanh code and decoder, sigmoid output, MSE", o =>
        {
            NoOptions(o, "fc-ae-48");
            return new ModelSpec("fc-ae-48", "dense autoencoder 784-144-72-48", Mnist,
                [new Dense(144), Relu, new Dense(72), Relu, new Dense(48), Tanh],
                [new Dense(72), Tanh, new Dense(144), Tanh, new Dense(784)], ActivationKind.Sigmoid,
                // A Keras write-up: its reference loss (0.0120 after 12 epochs) needs Keras's initialisation;
                // PyTorch's gives 0.0157-0.0166 on the same schedule.
                ReconstructionLoss.MeanSquaredError, new TrainingDefaults(Epochs: 12, BatchSize: 300, LearningRate: 0.0015f), Init: WeightInit.Glorot);
        }),
        new("linear-ae", "linear autoencoder 784-k-784 (--latent k, default 16), no activations, MSE: compare with PCA", o =>
        {
            int latent = o.Latent ?? 16;
            if (o.Hidden is not null) throw new ArgumentException("linear-ae has no hidden layers: --hidden does not apply");
            return new ModelSpec("linear-ae", $"linear autoencoder 784-{latent}-784", Mnist,
                [new Dense(latent)], [new Dense(784)], ActivationKind.Identity,
                ReconstructionLoss.MeanSquaredError, new TrainingDefaults(Epochs: 10, BatchSize: 256, LearningRate: 1e-3f));
        }),
        new("face-fcn-ae", "dense autoencoder for 64x64 RGB images 12288-1024-256-64, ReLU, tanh output in [-1, 1], MSE", o =>
        {
            NoOptions(o, "face-fcn-ae");
            return new ModelSpec("face-fcn-ae", "dense autoencoder 12288-1024-256-64", Face,
                [new Dense(1024), Relu, new Dense(256), Relu, new Dense(64), Relu],
                [new Dense(256), Relu, new Dense(1024), Relu, new Dense(Face.Size)], ActivationKind.Tanh,
                ReconstructionLoss.MeanSquaredError, new TrainingDefaults(Epochs: 20, BatchSize: 64, LearningRate: 1e-3f), Range: PixelRange.Symmetric);
        }),
        new("face-conv-ae", "convolutional autoencoder for 64x64 RGB images, 4x4 stride-2 convs 3-12-24-48 and back, tanh output, MSE", o =>
        {
            NoOptions(o, "face-conv-ae");
            return new ModelSpec("face-conv-ae", "convolutional autoencoder 3x64x64 -> 48x8x8", Face,
                [new Conv2d(12, 4, Stride: 2, Padding: 1), Relu, new Conv2d(24, 4, Stride: 2, Padding: 1), Relu,
                 new Conv2d(48, 4, Stride: 2, Padding: 1), Relu],
                [new ConvTranspose2d(24, 4, Stride: 2, Padding: 1), Relu, new ConvTranspose2d(12, 4, Stride: 2, Padding: 1), Relu,
                 new ConvTranspose2d(3, 4, Stride: 2, Padding: 1)], ActivationKind.Tanh,
                ReconstructionLoss.MeanSquaredError, new TrainingDefaults(Epochs: 20, BatchSize: 64, LearningRate: 1e-3f), Range: PixelRange.Symmetric);
        }),
        new("face-conv-dense-ae", "face-conv-ae's convolutions around a dense 128-number code: for anomaly detection (a code that small and global cannot copy an extra or missing feature through)", o =>
        {
            int code = o.Latent ?? 128;
            if (o.Hidden is not null) throw new ArgumentException("face-conv-dense-ae has no hidden widths: --hidden does not apply (--latent sets its code)");
            // face-conv-ae's 48x8x8 code is a quarter of the image and local: trained long enough it reconstructs
            // whatever it is shown, anomalies included. A dense code makes the decoder redraw the face from a summary.
            return new ModelSpec("face-conv-dense-ae", $"convolutional autoencoder 3x64x64 -> 48x8x8 -> {code}", Face,
                [new Conv2d(12, 4, Stride: 2, Padding: 1), Relu, new Conv2d(24, 4, Stride: 2, Padding: 1), Relu,
                 new Conv2d(48, 4, Stride: 2, Padding: 1), Relu, new Flatten(), new Dense(code)],
                [new Dense(48 * 8 * 8), Relu, new Reshape(48, 8, 8),
                 new ConvTranspose2d(24, 4, Stride: 2, Padding: 1), Relu, new ConvTranspose2d(12, 4, Stride: 2, Padding: 1), Relu,
                 new ConvTranspose2d(3, 4, Stride: 2, Padding: 1)], ActivationKind.Tanh,
                ReconstructionLoss.MeanSquaredError, new TrainingDefaults(Epochs: 20, BatchSize: 64, LearningRate: 1e-3f), Range: PixelRange.Symmetric);
        }),
        new("face-cutpaste", "CutPaste classifier for 64x64 RGB images: 4x4 stride-2 convs 3-32-64-128-128 (--hidden), ReLU, one logit; learns normal faces against copies with a patch of themselves pasted elsewhere, for `vae anomaly --score logit`", o =>
        {
            if (o.Latent is not null) throw new ArgumentException("face-cutpaste has no code: --latent does not apply (--hidden sets its convolutions' widths)");
            var widths = o.Hidden ?? [32, 64, 128, 128];
            int side = Face.Height >> widths.Length;
            // On `vae dataset synth-faces` with --align foreground it finds the removed features (README: on 540 faces ROC AUC
            // .98-1.00 overall over six seeds, no-eye .99-1.00, the missing mouth .96-.99) that the autoencoders' reconstruction
            // errors and feature densities miss (.65-.75).
            return new ModelSpec("face-cutpaste", $"CutPaste classifier 3x64x64 -> {widths[^1]}x{side}x{side} -> 1 logit", Face,
                widths.SelectMany(w => new LayerSpec[] { new Conv2d(w, 4, Stride: 2, Padding: 1), Relu }).ToArray(),
                [new Flatten(), new Dense(1)], ActivationKind.Sigmoid, ReconstructionLoss.BinaryCrossEntropy,
                new TrainingDefaults(Epochs: 100, BatchSize: 32, LearningRate: 1e-3f), Range: PixelRange.Symmetric, Objective: TrainingObjective.CutPaste);
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
