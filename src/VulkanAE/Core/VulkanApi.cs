using Silk.NET.Core.Contexts;
using Silk.NET.Vulkan;

namespace VulkanAE.Core;

/// <summary>
/// The Vulkan API (Silk.NET.Vulkan) bound to the platform's loader, loaded once on first use, and
/// how its results become exceptions. Every call goes through the loader's exported entry points,
/// which dispatch on the handle, so one binding serves every instance and device of the process.
/// Extension functions the loader does not export (debug utils) come from vkGetInstanceProcAddr.
/// </summary>
internal static class VulkanApi
{
    private static readonly Lazy<Vk> Loaded = new(() => Load(LoaderNames()));

    public static Vk Vk => Loaded.Value;

    /// <summary>The loader's name on each platform; on macOS the Vulkan SDK's loader, else MoltenVK itself.</summary>
    private static string[] LoaderNames() =>
        OperatingSystem.IsWindows() ? ["vulkan-1.dll"]
        : OperatingSystem.IsMacOS() ? ["libvulkan.1.dylib", "libMoltenVK.dylib"]
        : ["libvulkan.so.1"];

    internal static Vk Load(IReadOnlyList<string> names)
    {
        foreach (var name in names)
            if (DefaultNativeContext.TryCreate(name, out var context))
                return new Vk(context);
        throw new VulkanUnavailableException(
            $"The Vulkan loader ({string.Join(" or ", names)}) was not found. Install it with a driver: " +
            "`apt-get install libvulkan1 mesa-vulkan-drivers` (CPU driver) or your GPU vendor's driver.");
    }

    public static void Check(this Result result, string call)
    {
        if (result == Result.Success) return;
        if (result is Result.ErrorOutOfDeviceMemory or Result.ErrorOutOfHostMemory)
            throw new OutOfDeviceMemoryException($"{call}: {result}. Use a smaller --batch or model, or a device with more memory.");
        throw new VulkanException($"{call} failed: {result}");
    }

    public static string FormatApiVersion(uint v) => $"{v >> 22}.{(v >> 12) & 0x3FF}.{v & 0xFFF}";
}

internal class VulkanException(string message) : Exception(message);

/// <summary>No Vulkan loader or no Vulkan device: the user must install a driver.</summary>
internal sealed class VulkanUnavailableException(string message) : VulkanException(message);

/// <summary>A device or host allocation failed: the user must shrink the work or pick a larger device.</summary>
internal sealed class OutOfDeviceMemoryException(string message) : VulkanException(message);
