using System.Runtime.InteropServices;
using VulkanAE.Vulkan;

namespace VulkanAE.Core;

internal sealed record MemoryHeapInfo(ulong SizeBytes, bool DeviceLocal);

/// <summary>What the engine needs to know about a physical device, queried rather than assumed.</summary>
internal sealed record DeviceInfo(
    int Index,
    string Name,
    string Type,
    string DriverName,
    string DriverInfo,
    string ApiVersion,
    IReadOnlyList<MemoryHeapInfo> Heaps,
    ulong MaxStorageBufferRange,
    uint MaxPushConstantsSize,
    uint MaxWorkGroupCountX,
    uint MaxWorkGroupInvocations,
    float TimestampPeriodNanoseconds,
    bool TimestampsOnComputeQueue,
    uint SubgroupSize,
    bool SubgroupShuffleInCompute,
    bool IsCpu)
{
    public static unsafe DeviceInfo Query(nint physicalDevice, int index)
    {
        var subgroup = new VkPhysicalDeviceSubgroupProperties { sType = VkStructureType.PhysicalDeviceSubgroupProperties };
        var driver = new VkPhysicalDeviceDriverProperties { sType = VkStructureType.PhysicalDeviceDriverProperties, pNext = &subgroup };
        var properties2 = new VkPhysicalDeviceProperties2 { sType = VkStructureType.PhysicalDeviceProperties2, pNext = &driver };
        Vk.vkGetPhysicalDeviceProperties2(physicalDevice, &properties2);
        var p = &properties2.properties;
        var limits = &p->limits;

        VkPhysicalDeviceMemoryProperties memory;
        Vk.vkGetPhysicalDeviceMemoryProperties(physicalDevice, &memory);
        var heaps = new List<MemoryHeapInfo>();
        for (int i = 0; i < memory.memoryHeapCount; i++)
            heaps.Add(new MemoryHeapInfo(memory.memoryHeaps[i].size, (memory.memoryHeaps[i].flags & Vk.MEMORY_HEAP_DEVICE_LOCAL_BIT) != 0));

        var family = ComputeQueueFamily(physicalDevice);
        return new DeviceInfo(
            index,
            Utf8(p->deviceName),
            p->deviceType switch
            {
                Vk.PHYSICAL_DEVICE_TYPE_DISCRETE_GPU => "discrete GPU",
                Vk.PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU => "integrated GPU",
                Vk.PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU => "virtual GPU",
                Vk.PHYSICAL_DEVICE_TYPE_CPU => "CPU",
                _ => "other",
            },
            Utf8(driver.driverName),
            Utf8(driver.driverInfo),
            Vk.FormatApiVersion(p->apiVersion),
            heaps,
            limits->maxStorageBufferRange,
            limits->maxPushConstantsSize,
            limits->maxComputeWorkGroupCount[0],
            limits->maxComputeWorkGroupInvocations,
            limits->timestampPeriod,
            family.TimestampValidBits > 0,
            subgroup.subgroupSize,
            (subgroup.supportedStages & Vk.SHADER_STAGE_COMPUTE_BIT) != 0 && (subgroup.supportedOperations & Vk.SUBGROUP_FEATURE_SHUFFLE_BIT) != 0,
            p->deviceType == Vk.PHYSICAL_DEVICE_TYPE_CPU);
    }

    /// <summary>The first queue family with compute: compute queues also accept transfer commands.</summary>
    public static (uint Index, uint TimestampValidBits) ComputeQueueFamily(nint physicalDevice)
    {
        var families = QueueFamilies(physicalDevice);
        foreach (var i in ComputeQueueFamilies(physicalDevice))
            return (i, families[i].timestampValidBits);
        throw new VulkanUnavailableException("This Vulkan device has no compute queue.");
    }

    /// <summary>Every queue family with compute, in the device's order.</summary>
    public static IEnumerable<uint> ComputeQueueFamilies(nint physicalDevice)
    {
        var families = QueueFamilies(physicalDevice);
        for (uint i = 0; i < families.Length; i++)
            if ((families[i].queueFlags & Vk.QUEUE_COMPUTE_BIT) != 0)
                yield return i;
    }

    private static unsafe VkQueueFamilyProperties[] QueueFamilies(nint physicalDevice)
    {
        uint count;
        Vk.vkGetPhysicalDeviceQueueFamilyProperties(physicalDevice, &count, null);
        var families = new VkQueueFamilyProperties[count];
        fixed (VkQueueFamilyProperties* p = families) Vk.vkGetPhysicalDeviceQueueFamilyProperties(physicalDevice, &count, p);
        return families;
    }

    private static unsafe string Utf8(byte* text) => Marshal.PtrToStringUTF8((nint)text) ?? "";
}
