using System.Runtime.InteropServices;
using Silk.NET.Vulkan;

namespace VulkanAE.Core;

internal sealed record MemoryHeapInfo(ulong SizeBytes, bool DeviceLocal);

/// <summary>
/// What the engine needs to know about a physical device, queried rather than assumed. Vendor,
/// device, driver version and pipeline cache UUID identify it for the kernel-choice cache.
/// </summary>
internal sealed record DeviceInfo(
    int Index,
    string Name,
    string Type,
    string DriverName,
    string DriverInfo,
    string ApiVersion,
    IReadOnlyList<MemoryHeapInfo> Heaps,
    ulong MaxStorageBufferRange,
    ulong MinStorageBufferOffsetAlignment,
    uint MaxTexelBufferElements,
    ulong MinTexelBufferOffsetAlignment,
    uint MaxPushConstantsSize,
    uint MaxWorkGroupCountX,
    uint MaxWorkGroupInvocations,
    float TimestampPeriodNanoseconds,
    bool TimestampsOnComputeQueue,
    uint SubgroupSize,
    bool SubgroupShuffleInCompute,
    bool ShaderInt64,
    bool IsCpu,
    uint VendorId,
    uint DeviceId,
    uint DriverVersion,
    string PipelineCacheUuid)
{
    private static Vk Vk => VulkanApi.Vk;

    public static unsafe DeviceInfo Query(PhysicalDevice physicalDevice, int index)
    {
        var subgroup = new PhysicalDeviceSubgroupProperties { SType = StructureType.PhysicalDeviceSubgroupProperties };
        var driver = new PhysicalDeviceDriverProperties { SType = StructureType.PhysicalDeviceDriverProperties, PNext = &subgroup };
        var properties2 = new PhysicalDeviceProperties2 { SType = StructureType.PhysicalDeviceProperties2, PNext = &driver };
        Vk.GetPhysicalDeviceProperties2(physicalDevice, &properties2);
        var p = &properties2.Properties;
        var limits = &p->Limits;

        PhysicalDeviceMemoryProperties memory;
        Vk.GetPhysicalDeviceMemoryProperties(physicalDevice, &memory);
        var heaps = new List<MemoryHeapInfo>();
        for (int i = 0; i < memory.MemoryHeapCount; i++)
            heaps.Add(new MemoryHeapInfo(memory.MemoryHeaps[i].Size, memory.MemoryHeaps[i].Flags.HasFlag(MemoryHeapFlags.DeviceLocalBit)));

        PhysicalDeviceFeatures features;
        Vk.GetPhysicalDeviceFeatures(physicalDevice, &features);

        var family = ComputeQueueFamily(physicalDevice);
        return new DeviceInfo(
            index,
            Utf8(p->DeviceName),
            p->DeviceType switch
            {
                PhysicalDeviceType.DiscreteGpu => "discrete GPU",
                PhysicalDeviceType.IntegratedGpu => "integrated GPU",
                PhysicalDeviceType.VirtualGpu => "virtual GPU",
                PhysicalDeviceType.Cpu => "CPU",
                _ => "other",
            },
            Utf8(driver.DriverName),
            Utf8(driver.DriverInfo),
            VulkanApi.FormatApiVersion(p->ApiVersion),
            heaps,
            limits->MaxStorageBufferRange,
            limits->MinStorageBufferOffsetAlignment,
            limits->MaxTexelBufferElements,
            limits->MinTexelBufferOffsetAlignment,
            limits->MaxPushConstantsSize,
            limits->MaxComputeWorkGroupCount[0],
            limits->MaxComputeWorkGroupInvocations,
            limits->TimestampPeriod,
            family.TimestampValidBits > 0,
            subgroup.SubgroupSize,
            subgroup.SupportedStages.HasFlag(ShaderStageFlags.ComputeBit) && subgroup.SupportedOperations.HasFlag(SubgroupFeatureFlags.ShuffleBit),
            features.ShaderInt64,
            p->DeviceType == PhysicalDeviceType.Cpu,
            p->VendorID,
            p->DeviceID,
            p->DriverVersion,
            Convert.ToHexStringLower(new ReadOnlySpan<byte>(p->PipelineCacheUuid, 16)));
    }

    /// <summary>The first queue family with compute: compute queues also accept transfer commands.</summary>
    public static (uint Index, uint TimestampValidBits) ComputeQueueFamily(PhysicalDevice physicalDevice)
    {
        var families = QueueFamilies(physicalDevice);
        foreach (var i in ComputeQueueFamilies(physicalDevice))
            return (i, families[i].TimestampValidBits);
        throw new VulkanUnavailableException("This Vulkan device has no compute queue.");
    }

    /// <summary>Every queue family with compute, in the device's order.</summary>
    public static IEnumerable<uint> ComputeQueueFamilies(PhysicalDevice physicalDevice)
    {
        var families = QueueFamilies(physicalDevice);
        for (uint i = 0; i < families.Length; i++)
            if (families[i].QueueFlags.HasFlag(QueueFlags.ComputeBit))
                yield return i;
    }

    private static unsafe QueueFamilyProperties[] QueueFamilies(PhysicalDevice physicalDevice)
    {
        uint count;
        Vk.GetPhysicalDeviceQueueFamilyProperties(physicalDevice, &count, null);
        var families = new QueueFamilyProperties[count];
        fixed (QueueFamilyProperties* p = families) Vk.GetPhysicalDeviceQueueFamilyProperties(physicalDevice, &count, p);
        return families;
    }

    private static unsafe string Utf8(byte* text) => Marshal.PtrToStringUTF8((nint)text) ?? "";
}
