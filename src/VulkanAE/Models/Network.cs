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
    /// layer down to the first. An activation after a layer that absorbs its backward
    /// (<see cref="IAbsorbsActivationBackward"/>) records no pass of its own: that layer's bias
    /// gradient pass computes it. Returns dLoss/dInput when asked for, else null.
    /// </summary>
    public Tensor? Backward(SequenceRecorder r, Tensor input, Tensor outputGradient, int rows, bool inputGradient)
    {
        var gradient = outputGradient;
        ActivationLayer? following = null; // an activation after layer i whose backward is not recorded yet
        for (int i = Layers.Count - 1; i >= 0; i--)
        {
            var layer = Layers[i];
            if (following is null && layer is ActivationLayer activation && i > 0 && Layers[i - 1] is IAbsorbsActivationBackward)
            {
                following = activation;
                continue;
            }
            var layerInput = i == 0 ? input : Layers[i - 1].Output;
            bool needed = i > 0 || inputGradient;
            if (following is not null && layer is IAbsorbsActivationBackward absorbing)
                absorbing.BackwardThroughActivation(r, layerInput, following, gradient, rows, needed);
            else
                layer.Backward(r, layerInput, gradient, rows, needed);
            following = null;
            gradient = layer.InputGradient;
        }
        return inputGradient ? gradient : null;
    }

    public void Dispose()
    {
        foreach (var layer in Layers) layer.Dispose();
    }
}
