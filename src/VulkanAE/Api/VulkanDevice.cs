using VulkanAE.Core;

namespace VulkanAE;

/// <summary>
/// A Vulkan device opened for VulkanAE (any GPU, or a CPU driver such as Mesa's lavapipe): what
/// <see cref="TrainedModel.Load"/> puts a model on. Dispose it after the models loaded on it.
/// </summary>
public sealed class VulkanDevice : IDisposable
{
    private VulkanDevice(Gpu gpu) => Gpu = gpu;

    internal Gpu Gpu { get; }

    /// <summary>The device's name as its driver gives it, e.g. "llvmpipe (LLVM 15.0.6, 256 bits)".</summary>
    public string Name => Gpu.Info.Name;

    /// <summary>Opens a Vulkan device.</summary>
    /// <param name="index">Its index in the list `vae devices` prints; null picks the first discrete GPU, else an integrated one, else any.</param>
    /// <param name="validation">
    /// Run under the Khronos validation layer (it must be installed), which makes any misuse of Vulkan throw;
    /// the environment variable VULKANAE_VALIDATION=1 turns it on too.
    /// </param>
    /// <returns>The open device.</returns>
    public static VulkanDevice Open(int? index = null, bool validation = false) => new(new Gpu(new GpuOptions(index, validation)));

    /// <summary>Closes the device.</summary>
    public void Dispose() => Gpu.Dispose();
}
