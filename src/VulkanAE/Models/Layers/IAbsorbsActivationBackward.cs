using VulkanAE.Core;

namespace VulkanAE.Models.Layers;

/// <summary>
/// A layer with a bias whose bias gradient pass also computes the backward of an activation that
/// follows it: the pass reads the activation's output gradient anyway, so dz = dy * f'(y) comes out
/// of it, and the activation records no pass of its own (<see cref="Network.Backward"/> pairs them).
/// The dense layer does; a convolution does not: its bias gradient pass, one workgroup per channel,
/// took more time fused with the activation's backward than the two passes apart on lavapipe
/// (conv-vae's step, measured with and without).
/// </summary>
internal interface IAbsorbsActivationBackward
{
    /// <summary>
    /// <see cref="Layer.Backward"/> given dLoss/d(<paramref name="activation"/>'s output) in
    /// <paramref name="activationOutputGradient"/>: writes dLoss/d(this layer's output) into the
    /// activation's <see cref="Layer.InputGradient"/> on the way, then the parameter gradients and,
    /// when <paramref name="inputGradient"/> is set, dLoss/dInput.
    /// </summary>
    void BackwardThroughActivation(SequenceRecorder r, Tensor input, ActivationLayer activation, Tensor activationOutputGradient, int rows,
        bool inputGradient);
}
