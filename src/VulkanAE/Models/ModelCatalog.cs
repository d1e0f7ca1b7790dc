using VulkanAE.Kernels.Activation;
using VulkanAE.Models.Layers;
using static VulkanAE.Models.LayerSpec;

namespace VulkanAE.Models;

/// <summary>The built-in models, by the name `vae train --model NAME` takes.</summary>
internal static class ModelCatalog
{
    private static readonly Activation Relu = new(ActivationKind.Relu);
    private static readonly Activation Sigmoid = new(ActivationKind.Sigmoid);
    private static readonly TensorShape Mnist = new(1, 28, 28);

    public static IReadOnlyList<ModelSpec> All { get; } =
    [
        new("fc-ae", "dense autoencoder 784-128-32-128-784, ReLU, sigmoid output, BCE", Mnist,
            [new Dense(128), Relu, new Dense(32)],
            [new Dense(128), Relu, new Dense(784), Sigmoid],
            ReconstructionLoss.BinaryCrossEntropy,
            new TrainingDefaults(Epochs: 10, BatchSize: 256, LearningRate: 1e-3f)),
    ];

    public static ModelSpec Find(string name)
        => All.FirstOrDefault(m => m.Name == name)
           ?? throw new ArgumentException($"unknown model '{name}'; available: {string.Join(", ", All.Select(m => m.Name))}");
}
