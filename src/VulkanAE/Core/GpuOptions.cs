namespace VulkanAE.Core;

/// <param name="DeviceIndex">Index in `vae devices`; null picks the first discrete GPU, else integrated, else any.</param>
/// <param name="Validation">Enable the Khronos validation layer with synchronization validation.</param>
/// <param name="ForceStaging">Move data through staging buffers even on unified memory, so the discrete-GPU path is exercised on a CPU driver.</param>
internal sealed record GpuOptions(int? DeviceIndex = null, bool Validation = false, bool ForceStaging = false);
