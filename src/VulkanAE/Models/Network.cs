using VulkanAE.Core;
using VulkanAE.Models.Layers;

namespace VulkanAE.Models;

/// <summary>A chain of layers, each feeding the next.</summary>
internal sealed class Network(IReadOnlyList<Layer> layers) : IDisposable
{
    public IReadOnlyList<Layer> Layers { get; } = layers;
    public Tensor Output => Layers[^1].Output;

    public void Forward(SequenceRecorder r, Tensor input, int rows)
    {
        var x = input;
        foreach (var layer in Layers)
        {
            layer.Forward(r, x, rows);
            x = layer.Output;
        }
    }

    /// <summary>
    /// Back-propagates <paramref name="outputGradient"/> (dLoss/d<see cref="Output"/>) from the last
    /// layer down to the first. Returns dLoss/dInput when asked for, else null.
    /// </summary>
    public Tensor? Backward(SequenceRecorder r, Tensor input, Tensor outputGradient, int rows, bool inputGradient)
    {
        var gradient = outputGradient;
        for (int i = Layers.Count - 1; i >= 0; i--)
        {
            bool needed = i > 0 || inputGradient;
            Layers[i].Backward(r, i == 0 ? input : Layers[i - 1].Output, gradient, rows, needed);
            gradient = Layers[i].InputGradient;
        }
        return inputGradient ? gradient : null;
    }

    public void Dispose()
    {
        foreach (var layer in Layers) layer.Dispose();
    }
}
