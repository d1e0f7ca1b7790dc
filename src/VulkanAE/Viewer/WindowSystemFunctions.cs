using Silk.NET.Vulkan;
using Semaphore = Silk.NET.Vulkan.Semaphore;
using VulkanAE.Core;

namespace VulkanAE.Viewer;

/// <summary>
/// The VK_KHR_surface and VK_KHR_swapchain functions the live view calls, loaded through
/// vkGetInstanceProcAddr and vkGetDeviceProcAddr with Silk.NET's struct types (the
/// Silk.NET.Vulkan.Extensions.KHR package, which would wrap them, is not available here).
/// </summary>
internal sealed unsafe class WindowSystemFunctions
{
    public readonly delegate* unmanaged<Instance, SurfaceKHR, AllocationCallbacks*, void> DestroySurface;
    public readonly delegate* unmanaged<PhysicalDevice, SurfaceKHR, SurfaceCapabilitiesKHR*, Result> GetSurfaceCapabilities;
    public readonly delegate* unmanaged<PhysicalDevice, SurfaceKHR, uint*, SurfaceFormatKHR*, Result> GetSurfaceFormats;
    public readonly delegate* unmanaged<PhysicalDevice, SurfaceKHR, uint*, PresentModeKHR*, Result> GetSurfacePresentModes;
    public readonly delegate* unmanaged<Device, SwapchainCreateInfoKHR*, AllocationCallbacks*, SwapchainKHR*, Result> CreateSwapchain;
    public readonly delegate* unmanaged<Device, SwapchainKHR, AllocationCallbacks*, void> DestroySwapchain;
    public readonly delegate* unmanaged<Device, SwapchainKHR, uint*, Image*, Result> GetSwapchainImages;
    public readonly delegate* unmanaged<Device, SwapchainKHR, ulong, Semaphore, Fence, uint*, Result> AcquireNextImage;
    public readonly delegate* unmanaged<Queue, PresentInfoKHR*, Result> QueuePresent;

    public WindowSystemFunctions(Gpu gpu)
    {
        DestroySurface = (delegate* unmanaged<Instance, SurfaceKHR, AllocationCallbacks*, void>)gpu.Instance.ProcAddress("vkDestroySurfaceKHR");
        GetSurfaceCapabilities = (delegate* unmanaged<PhysicalDevice, SurfaceKHR, SurfaceCapabilitiesKHR*, Result>)
            gpu.Instance.ProcAddress("vkGetPhysicalDeviceSurfaceCapabilitiesKHR");
        GetSurfaceFormats = (delegate* unmanaged<PhysicalDevice, SurfaceKHR, uint*, SurfaceFormatKHR*, Result>)
            gpu.Instance.ProcAddress("vkGetPhysicalDeviceSurfaceFormatsKHR");
        GetSurfacePresentModes = (delegate* unmanaged<PhysicalDevice, SurfaceKHR, uint*, PresentModeKHR*, Result>)
            gpu.Instance.ProcAddress("vkGetPhysicalDeviceSurfacePresentModesKHR");
        CreateSwapchain = (delegate* unmanaged<Device, SwapchainCreateInfoKHR*, AllocationCallbacks*, SwapchainKHR*, Result>)
            gpu.DeviceProcAddress("vkCreateSwapchainKHR");
        DestroySwapchain = (delegate* unmanaged<Device, SwapchainKHR, AllocationCallbacks*, void>)gpu.DeviceProcAddress("vkDestroySwapchainKHR");
        GetSwapchainImages = (delegate* unmanaged<Device, SwapchainKHR, uint*, Image*, Result>)gpu.DeviceProcAddress("vkGetSwapchainImagesKHR");
        AcquireNextImage = (delegate* unmanaged<Device, SwapchainKHR, ulong, Semaphore, Fence, uint*, Result>)gpu.DeviceProcAddress("vkAcquireNextImageKHR");
        QueuePresent = (delegate* unmanaged<Queue, PresentInfoKHR*, Result>)gpu.DeviceProcAddress("vkQueuePresentKHR");
    }
}
