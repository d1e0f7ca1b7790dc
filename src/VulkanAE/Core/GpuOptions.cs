namespace VulkanAE.Core;

/// <param name="DeviceIndex">Index in `vae devices`; null picks the first discrete GPU, else integrated, else any.</param>
/// <param name="Validation">Enable the Khronos validation layer with synchronization validation.</param>
/// <param name="ForceStaging">Move data through staging buffers even on unified memory, so the discrete-GPU path is exercised on a CPU driver.</param>
/// <param name="Presentation">Set to show frames in a window: the device then has a swapchain and a queue that presents.</param>
internal sealed record GpuOptions(int? DeviceIndex = null, bool Validation = false, bool ForceStaging = false, Presentation? Presentation = null);

/// <summary>
/// What a device needs to present to a window system: the instance extensions it asks for (GLFW
/// lists them), and whether a queue family of a physical device can present to it (asked as
/// CanPresent(instance, physicalDevice, family)).
/// </summary>
internal sealed record Presentation(IReadOnlyList<string> InstanceExtensions, Func<nint, nint, uint, bool> CanPresent);
