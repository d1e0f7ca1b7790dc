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
    /// Back-propagates <paramref name="outputGradient"/> (dLoss/d<see cref="Output"/>, or with
    /// <paramref name="outputActivation"/> dLoss/d(its output), an activation on <see cref="Output"/>
    /// that is not one of the layers) from the last layer down to the first. An activation after a
    /// layer that absorbs its backward (<see cref="IAbsorbsActivationBackward"/>) records no pass of
    /// its own. Returns dLoss/dInput when asked for, else null.
    /// </summary>
    public Tensor? Backward(SequenceRecorder r, Tensor input, Tensor outputGradient, int rows, bool inputGradient,
        ActivationLayer? outputActivation = null)
    {
        var gradient = outputGradient;
        var following = outputActivation; // an activation after layer i whose backward is not recorded yet
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
            {
                if (following is not null)
                {
                    following.Backward(r, layer.Output, gradient, rows, inputGradient: true);
                    gradient = following.InputGradient;
                }
                layer.Backward(r, layerInput, gradient, rows, needed);
            }
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
