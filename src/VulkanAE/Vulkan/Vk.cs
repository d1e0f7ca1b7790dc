using System.Reflection;
using System.Runtime.InteropServices;

namespace VulkanAE.Vulkan;

internal enum VkResult
{
    Success = 0,
    NotReady = 1,
    Timeout = 2,
    Incomplete = 5,
    ErrorOutOfHostMemory = -1,
    ErrorOutOfDeviceMemory = -2,
    ErrorInitializationFailed = -3,
    ErrorDeviceLost = -4,
    ErrorMemoryMapFailed = -5,
    ErrorLayerNotPresent = -6,
    ErrorExtensionNotPresent = -7,
    ErrorFeatureNotPresent = -8,
    ErrorIncompatibleDriver = -9,
    ErrorTooManyObjects = -10,
    ErrorFragmentedPool = -12,
    ErrorOutOfPoolMemory = -1000069000,
    ErrorSurfaceLostKHR = -1000000000,
    SuboptimalKHR = 1000001003,
    ErrorOutOfDateKHR = -1000001004,
}

/// <summary>
/// The Vulkan entry points and constants the engine uses, bound straight to the loader
/// (libvulkan.so.1 on Linux, vulkan-1.dll on Windows, libvulkan.1.dylib with MoltenVK).
/// Dispatchable handles are nint, all other handles ulong. Extension functions
/// (debug utils) come from vkGetInstanceProcAddr, see <see cref="Core.VulkanInstance"/>.
/// </summary>
internal static unsafe partial class Vk
{
    private const string Loader = "vulkan";

    static Vk() => NativeLibrary.SetDllImportResolver(typeof(Vk).Assembly, ResolveLoader);

    private static nint ResolveLoader(string name, Assembly assembly, DllImportSearchPath? path)
    {
        if (name != Loader) return 0;
        string[] candidates = OperatingSystem.IsWindows() ? ["vulkan-1.dll"]
            : OperatingSystem.IsMacOS() ? ["libvulkan.1.dylib", "libMoltenVK.dylib"]
            : ["libvulkan.so.1", "libvulkan.so"];
        foreach (var candidate in candidates)
            if (NativeLibrary.TryLoad(candidate, assembly, path, out var handle)) return handle;
        throw new VulkanUnavailableException(
            "The Vulkan loader (libvulkan.so.1) was not found. Install it with a driver: " +
            "`apt-get install libvulkan1 mesa-vulkan-drivers` (CPU driver) or your GPU vendor's driver.");
    }

    public static void Check(VkResult result, string call)
    {
        if (result == VkResult.Success) return;
        if (result == VkResult.ErrorOutOfDeviceMemory || result == VkResult.ErrorOutOfHostMemory)
            throw new OutOfDeviceMemoryException($"{call}: {result}. Use a smaller --batch or model, or a device with more memory.");
        throw new VulkanException($"{call} failed: {result}");
    }

    public static uint MakeApiVersion(uint major, uint minor, uint patch) => (major << 22) | (minor << 12) | patch;
    public static string FormatApiVersion(uint v) => $"{v >> 22}.{(v >> 12) & 0x3FF}.{v & 0xFFF}";

    // Constants (vulkan_core.h), only those used.
    public const uint QUEUE_COMPUTE_BIT = 0x2, QUEUE_TRANSFER_BIT = 0x4;
    public const uint MEMORY_PROPERTY_DEVICE_LOCAL_BIT = 0x1, MEMORY_PROPERTY_HOST_VISIBLE_BIT = 0x2,
        MEMORY_PROPERTY_HOST_COHERENT_BIT = 0x4, MEMORY_PROPERTY_HOST_CACHED_BIT = 0x8;
    public const uint MEMORY_HEAP_DEVICE_LOCAL_BIT = 0x1;
    public const uint BUFFER_USAGE_TRANSFER_SRC_BIT = 0x1, BUFFER_USAGE_TRANSFER_DST_BIT = 0x2,
        BUFFER_USAGE_STORAGE_BUFFER_BIT = 0x20;
    public const uint SHARING_MODE_EXCLUSIVE = 0;
    public const uint DESCRIPTOR_TYPE_STORAGE_BUFFER = 7;
    public const uint SHADER_STAGE_COMPUTE_BIT = 0x20;
    public const uint SUBGROUP_FEATURE_SHUFFLE_BIT = 0x10;
    public const uint PIPELINE_BIND_POINT_COMPUTE = 1;
    public const uint COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT = 0x2;
    public const uint COMMAND_BUFFER_LEVEL_PRIMARY = 0;
    public const uint COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT = 0x1, COMMAND_BUFFER_USAGE_SIMULTANEOUS_USE_BIT = 0x4;
    public const uint PIPELINE_STAGE_TOP_OF_PIPE_BIT = 0x1, PIPELINE_STAGE_COMPUTE_SHADER_BIT = 0x800,
        PIPELINE_STAGE_TRANSFER_BIT = 0x1000, PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT = 0x2000, PIPELINE_STAGE_HOST_BIT = 0x4000;
    public const uint ACCESS_SHADER_READ_BIT = 0x20, ACCESS_SHADER_WRITE_BIT = 0x40,
        ACCESS_TRANSFER_READ_BIT = 0x800, ACCESS_TRANSFER_WRITE_BIT = 0x1000,
        ACCESS_HOST_READ_BIT = 0x2000, ACCESS_HOST_WRITE_BIT = 0x4000;
    public const uint QUERY_TYPE_TIMESTAMP = 2;
    public const uint QUERY_RESULT_64_BIT = 0x1, QUERY_RESULT_WAIT_BIT = 0x2;
    public const uint DESCRIPTOR_POOL_CREATE_FREE_DESCRIPTOR_SET_BIT = 0x1;
    public const uint PHYSICAL_DEVICE_TYPE_OTHER = 0, PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU = 1,
        PHYSICAL_DEVICE_TYPE_DISCRETE_GPU = 2, PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU = 3, PHYSICAL_DEVICE_TYPE_CPU = 4;
    public const uint DEBUG_UTILS_MESSAGE_SEVERITY_VERBOSE_BIT_EXT = 0x1, DEBUG_UTILS_MESSAGE_SEVERITY_INFO_BIT_EXT = 0x10,
        DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT = 0x100, DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT = 0x1000;
    public const uint DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT = 0x1, DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT = 0x2,
        DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT = 0x4;
    public const uint VALIDATION_FEATURE_ENABLE_SYNCHRONIZATION_VALIDATION_EXT = 4;
    public const uint INSTANCE_CREATE_ENUMERATE_PORTABILITY_BIT_KHR = 0x1;
    public const ulong WHOLE_SIZE = ~0UL;
    public const ulong OBJECT_TYPE_BUFFER = 9, OBJECT_TYPE_PIPELINE = 19;

    // Presentation (VK_KHR_surface, VK_KHR_swapchain): the live view copies a frame buffer into swapchain images.
    public const string KHR_SWAPCHAIN_EXTENSION_NAME = "VK_KHR_swapchain";
    public const uint FORMAT_R8G8B8A8_UNORM = 37, FORMAT_B8G8R8A8_UNORM = 44;
    public const uint COLOR_SPACE_SRGB_NONLINEAR_KHR = 0;
    public const uint PRESENT_MODE_IMMEDIATE_KHR = 0, PRESENT_MODE_MAILBOX_KHR = 1, PRESENT_MODE_FIFO_KHR = 2;
    public const uint IMAGE_USAGE_TRANSFER_DST_BIT = 0x2;
    public const uint IMAGE_ASPECT_COLOR_BIT = 0x1;
    public const uint IMAGE_LAYOUT_UNDEFINED = 0, IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL = 7, IMAGE_LAYOUT_PRESENT_SRC_KHR = 1000001002;
    public const uint COMPOSITE_ALPHA_OPAQUE_BIT_KHR = 0x1, COMPOSITE_ALPHA_INHERIT_BIT_KHR = 0x8;
    public const uint QUEUE_FAMILY_IGNORED = ~0u;
    public const uint FENCE_CREATE_SIGNALED_BIT = 0x1;

    [DllImport(Loader)] public static extern VkResult vkCreateInstance(VkInstanceCreateInfo* createInfo, void* allocator, nint* instance);
    [DllImport(Loader)] public static extern void vkDestroyInstance(nint instance, void* allocator);
    [DllImport(Loader)] public static extern nint vkGetInstanceProcAddr(nint instance, byte* name);
    [DllImport(Loader)] public static extern VkResult vkEnumerateInstanceLayerProperties(uint* count, VkLayerProperties* properties);
    [DllImport(Loader)] public static extern VkResult vkEnumerateInstanceExtensionProperties(byte* layerName, uint* count, VkExtensionProperties* properties);
    [DllImport(Loader)] public static extern VkResult vkEnumeratePhysicalDevices(nint instance, uint* count, nint* devices);
    [DllImport(Loader)] public static extern void vkGetPhysicalDeviceProperties2(nint physicalDevice, VkPhysicalDeviceProperties2* properties);
    [DllImport(Loader)] public static extern void vkGetPhysicalDeviceMemoryProperties(nint physicalDevice, VkPhysicalDeviceMemoryProperties* properties);
    [DllImport(Loader)] public static extern void vkGetPhysicalDeviceQueueFamilyProperties(nint physicalDevice, uint* count, VkQueueFamilyProperties* properties);

    [DllImport(Loader)] public static extern VkResult vkCreateDevice(nint physicalDevice, VkDeviceCreateInfo* createInfo, void* allocator, nint* device);
    [DllImport(Loader)] public static extern void vkDestroyDevice(nint device, void* allocator);
    [DllImport(Loader)] public static extern void vkGetDeviceQueue(nint device, uint family, uint index, nint* queue);
    [DllImport(Loader)] public static extern VkResult vkDeviceWaitIdle(nint device);

    [DllImport(Loader)] public static extern VkResult vkCreateBuffer(nint device, VkBufferCreateInfo* createInfo, void* allocator, ulong* buffer);
    [DllImport(Loader)] public static extern void vkDestroyBuffer(nint device, ulong buffer, void* allocator);
    [DllImport(Loader)] public static extern void vkGetBufferMemoryRequirements(nint device, ulong buffer, VkMemoryRequirements* requirements);
    [DllImport(Loader)] public static extern VkResult vkAllocateMemory(nint device, VkMemoryAllocateInfo* allocateInfo, void* allocator, ulong* memory);
    [DllImport(Loader)] public static extern void vkFreeMemory(nint device, ulong memory, void* allocator);
    [DllImport(Loader)] public static extern VkResult vkBindBufferMemory(nint device, ulong buffer, ulong memory, ulong offset);
    [DllImport(Loader)] public static extern VkResult vkMapMemory(nint device, ulong memory, ulong offset, ulong size, uint flags, void** data);

    [DllImport(Loader)] public static extern VkResult vkCreateShaderModule(nint device, VkShaderModuleCreateInfo* createInfo, void* allocator, ulong* module);
    [DllImport(Loader)] public static extern void vkDestroyShaderModule(nint device, ulong module, void* allocator);
    [DllImport(Loader)] public static extern VkResult vkCreateDescriptorSetLayout(nint device, VkDescriptorSetLayoutCreateInfo* createInfo, void* allocator, ulong* layout);
    [DllImport(Loader)] public static extern void vkDestroyDescriptorSetLayout(nint device, ulong layout, void* allocator);
    [DllImport(Loader)] public static extern VkResult vkCreatePipelineLayout(nint device, VkPipelineLayoutCreateInfo* createInfo, void* allocator, ulong* layout);
    [DllImport(Loader)] public static extern void vkDestroyPipelineLayout(nint device, ulong layout, void* allocator);
    [DllImport(Loader)] public static extern VkResult vkCreateComputePipelines(nint device, ulong cache, uint count, VkComputePipelineCreateInfo* createInfos, void* allocator, ulong* pipelines);
    [DllImport(Loader)] public static extern void vkDestroyPipeline(nint device, ulong pipeline, void* allocator);

    [DllImport(Loader)] public static extern VkResult vkCreateDescriptorPool(nint device, VkDescriptorPoolCreateInfo* createInfo, void* allocator, ulong* pool);
    [DllImport(Loader)] public static extern void vkDestroyDescriptorPool(nint device, ulong pool, void* allocator);
    [DllImport(Loader)] public static extern VkResult vkAllocateDescriptorSets(nint device, VkDescriptorSetAllocateInfo* allocateInfo, ulong* sets);
    [DllImport(Loader)] public static extern void vkUpdateDescriptorSets(nint device, uint writeCount, VkWriteDescriptorSet* writes, uint copyCount, void* copies);

    [DllImport(Loader)] public static extern VkResult vkCreateCommandPool(nint device, VkCommandPoolCreateInfo* createInfo, void* allocator, ulong* pool);
    [DllImport(Loader)] public static extern void vkDestroyCommandPool(nint device, ulong pool, void* allocator);
    [DllImport(Loader)] public static extern VkResult vkAllocateCommandBuffers(nint device, VkCommandBufferAllocateInfo* allocateInfo, nint* commandBuffers);
    [DllImport(Loader)] public static extern void vkFreeCommandBuffers(nint device, ulong pool, uint count, nint* commandBuffers);
    [DllImport(Loader)] public static extern VkResult vkBeginCommandBuffer(nint commandBuffer, VkCommandBufferBeginInfo* beginInfo);
    [DllImport(Loader)] public static extern VkResult vkEndCommandBuffer(nint commandBuffer);
    [DllImport(Loader)] public static extern void vkCmdBindPipeline(nint commandBuffer, uint bindPoint, ulong pipeline);
    [DllImport(Loader)] public static extern void vkCmdBindDescriptorSets(nint commandBuffer, uint bindPoint, ulong layout, uint firstSet, uint count, ulong* sets, uint dynamicOffsetCount, uint* dynamicOffsets);
    [DllImport(Loader)] public static extern void vkCmdPushConstants(nint commandBuffer, ulong layout, uint stageFlags, uint offset, uint size, void* values);
    [DllImport(Loader)] public static extern void vkCmdDispatch(nint commandBuffer, uint x, uint y, uint z);
    [DllImport(Loader)] public static extern void vkCmdPipelineBarrier(nint commandBuffer, uint srcStage, uint dstStage, uint dependencyFlags,
        uint memoryBarrierCount, VkMemoryBarrier* memoryBarriers, uint bufferBarrierCount, void* bufferBarriers, uint imageBarrierCount, void* imageBarriers);
    [DllImport(Loader)] public static extern void vkCmdCopyBuffer(nint commandBuffer, ulong src, ulong dst, uint regionCount, VkBufferCopy* regions);
    [DllImport(Loader)] public static extern void vkCmdFillBuffer(nint commandBuffer, ulong buffer, ulong offset, ulong size, uint data);
    [DllImport(Loader)] public static extern void vkCmdWriteTimestamp(nint commandBuffer, uint stage, ulong queryPool, uint query);
    [DllImport(Loader)] public static extern void vkCmdResetQueryPool(nint commandBuffer, ulong queryPool, uint first, uint count);

    [DllImport(Loader)] public static extern VkResult vkCreateQueryPool(nint device, VkQueryPoolCreateInfo* createInfo, void* allocator, ulong* pool);
    [DllImport(Loader)] public static extern void vkDestroyQueryPool(nint device, ulong pool, void* allocator);
    [DllImport(Loader)] public static extern VkResult vkGetQueryPoolResults(nint device, ulong pool, uint first, uint count, nuint dataSize, void* data, ulong stride, uint flags);

    [DllImport(Loader)] public static extern VkResult vkCreateFence(nint device, VkFenceCreateInfo* createInfo, void* allocator, ulong* fence);
    [DllImport(Loader)] public static extern void vkDestroyFence(nint device, ulong fence, void* allocator);
    [DllImport(Loader)] public static extern VkResult vkWaitForFences(nint device, uint count, ulong* fences, uint waitAll, ulong timeout);
    [DllImport(Loader)] public static extern VkResult vkResetFences(nint device, uint count, ulong* fences);
    [DllImport(Loader)] public static extern VkResult vkQueueSubmit(nint queue, uint count, VkSubmitInfo* submits, ulong fence);
    [DllImport(Loader)] public static extern VkResult vkCreateSemaphore(nint device, VkSemaphoreCreateInfo* createInfo, void* allocator, ulong* semaphore);
    [DllImport(Loader)] public static extern void vkDestroySemaphore(nint device, ulong semaphore, void* allocator);
    [DllImport(Loader)] public static extern void vkCmdCopyBufferToImage(nint commandBuffer, ulong buffer, ulong image, uint layout, uint regionCount, VkBufferImageCopy* regions);
    /// <param name="color">A VkClearColorValue: four floats for a UNORM image.</param>
    [DllImport(Loader)] public static extern void vkCmdClearColorImage(nint commandBuffer, ulong image, uint layout, float* color, uint rangeCount, VkImageSubresourceRange* ranges);

    // WSI entry points: the loader exports them like core functions.
    [DllImport(Loader)] public static extern void vkDestroySurfaceKHR(nint instance, ulong surface, void* allocator);
    [DllImport(Loader)] public static extern VkResult vkGetPhysicalDeviceSurfaceCapabilitiesKHR(nint physicalDevice, ulong surface, VkSurfaceCapabilitiesKHR* capabilities);
    [DllImport(Loader)] public static extern VkResult vkGetPhysicalDeviceSurfaceFormatsKHR(nint physicalDevice, ulong surface, uint* count, VkSurfaceFormatKHR* formats);
    [DllImport(Loader)] public static extern VkResult vkGetPhysicalDeviceSurfacePresentModesKHR(nint physicalDevice, ulong surface, uint* count, uint* modes);
    [DllImport(Loader)] public static extern VkResult vkCreateSwapchainKHR(nint device, VkSwapchainCreateInfoKHR* createInfo, void* allocator, ulong* swapchain);
    [DllImport(Loader)] public static extern void vkDestroySwapchainKHR(nint device, ulong swapchain, void* allocator);
    [DllImport(Loader)] public static extern VkResult vkGetSwapchainImagesKHR(nint device, ulong swapchain, uint* count, ulong* images);
    [DllImport(Loader)] public static extern VkResult vkAcquireNextImageKHR(nint device, ulong swapchain, ulong timeout, ulong semaphore, ulong fence, uint* imageIndex);
    [DllImport(Loader)] public static extern VkResult vkQueuePresentKHR(nint queue, VkPresentInfoKHR* presentInfo);
}

internal class VulkanException(string message) : Exception(message);

/// <summary>No Vulkan loader or no Vulkan device: the user must install a driver.</summary>
internal sealed class VulkanUnavailableException(string message) : VulkanException(message);

/// <summary>A device or host allocation failed: the user must shrink the work or pick a larger device.</summary>
internal sealed class OutOfDeviceMemoryException(string message) : VulkanException(message);
