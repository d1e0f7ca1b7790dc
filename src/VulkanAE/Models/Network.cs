using VulkanAE.Core;
using VulkanAE.Models.Layers;

namespace VulkanAE.Models;

/// <summary>A chain of layers, each feeding the next.</summary>
internal sealed class Network(IReadOnlyList<Layer> layers) : IDisposable
{
    public IReadOnlyList<Layer> Layers { get; } = layers;
    public Tensor Output => Layers[^1].Output;
    public IEnumerable<Parameter> Parameters => Layers.SelectMany(l => l.Parameters);

    /// <summary>Runs layers 0..<paramref name="last"/> (all by default).</summary>
    public void Forward(SequenceRecorder r, Tensor input, int rows, int? last = null)
    {
        var x = input;
        for (int i = 0; i <= (last ?? Layers.Count - 1); i++)
        {
            Layers[i].Forward(r, x, rows);
            x = Layers[i].Output;
        }
    }

    /// <summary>
    /// Back-propagates <paramref name="outputGradient"/> (dLoss/d Layers[last].Output) from layer
    /// <paramref name="last"/> down to the first. Returns dLoss/dInput when asked for, else null.
    /// </summary>
    public Tensor? Backward(SequenceRecorder r, Tensor input, Tensor outputGradient, int rows, bool inputGradient, int? last = null)
    {
        var gradient = outputGradient;
        for (int i = last ?? Layers.Count - 1; i >= 0; i--)
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
