using VulkanAE.Vulkan;

namespace VulkanAE.Core;

/// <summary>
/// One Vulkan device and its compute queue: the root object of the engine. It owns the memory
/// policy (direct mapping on unified memory, staging copies on discrete GPUs), the compiled
/// kernels (cached by shader and specialization), and the submission of recorded sequences.
/// </summary>
internal sealed unsafe class Gpu : IDisposable
{
    private readonly Dictionary<string, Kernel> _kernels = new();
    private readonly uint _deviceLocalType;
    private readonly uint _stagingType;
    private ulong _commandPool;

    public VulkanInstance Instance { get; }
    public DeviceInfo Info { get; }
    public nint PhysicalDevice { get; }
    public nint Device { get; }
    public nint Queue { get; }
    public uint QueueFamily { get; }

    /// <summary>True when device memory can be mapped by the host, so uploads need no staging copy.</summary>
    public bool UnifiedMemory { get; }

    public Gpu(GpuOptions options)
    {
        Instance = VulkanInstance.Create(options.Validation || VulkanInstance.ValidationRequestedByEnvironment, options.Presentation?.InstanceExtensions);
        try
        {
            var devices = Instance.PhysicalDevices();
            if (devices.Length == 0) throw new VulkanUnavailableException(VulkanInstance.NoDeviceMessage);
            var infos = devices.Select((d, i) => DeviceInfo.Query(d, i)).ToArray();
            int chosen = options.DeviceIndex ?? PreferredDevice(infos);
            if (chosen < 0 || chosen >= devices.Length)
                throw new ArgumentException($"--device {chosen}: there are {devices.Length} Vulkan devices (0..{devices.Length - 1}); `vae devices` lists them.");
            PhysicalDevice = devices[chosen];
            Info = infos[chosen];
            QueueFamily = options.Presentation is { } presentation ? PresentingQueueFamily(presentation) : DeviceInfo.ComputeQueueFamily(PhysicalDevice).Index;
            Device = CreateDevice(PhysicalDevice, QueueFamily, options.Presentation is null ? [] : [Vk.KHR_SWAPCHAIN_EXTENSION_NAME]);
            nint queue;
            Vk.vkGetDeviceQueue(Device, QueueFamily, 0, &queue);
            Queue = queue;

            const uint hostVisible = Vk.MEMORY_PROPERTY_HOST_VISIBLE_BIT | Vk.MEMORY_PROPERTY_HOST_COHERENT_BIT;
            _deviceLocalType = FindMemoryType(Vk.MEMORY_PROPERTY_DEVICE_LOCAL_BIT)
                ?? throw new VulkanException("The device has no device-local memory type.");
            _stagingType = FindMemoryType(hostVisible | Vk.MEMORY_PROPERTY_HOST_CACHED_BIT) ?? FindMemoryType(hostVisible)
                ?? throw new VulkanException("The device has no host-visible coherent memory type for staging.");
            // On a CPU driver or an integrated GPU, device memory the host can map is the same RAM:
            // tensors live there and staging copies would be pure overhead. On a discrete GPU a
            // mappable device-local type (resizable BAR) is small and slow to read, so tensors stay
            // in plain device-local memory and move through staging buffers.
            var mappedDeviceType = FindMemoryType(Vk.MEMORY_PROPERTY_DEVICE_LOCAL_BIT | hostVisible);
            UnifiedMemory = !options.ForceStaging && mappedDeviceType is not null && (Info.IsCpu || Info.Type == "integrated GPU");
            if (UnifiedMemory) _deviceLocalType = mappedDeviceType!.Value;

            var poolInfo = new VkCommandPoolCreateInfo
            {
                sType = VkStructureType.CommandPoolCreateInfo,
                flags = Vk.COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT,
                queueFamilyIndex = QueueFamily,
            };
            ulong pool;
            Vk.Check(Vk.vkCreateCommandPool(Device, &poolInfo, null, &pool), "vkCreateCommandPool");
            _commandPool = pool;
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public static IReadOnlyList<DeviceInfo> ListDevices()
    {
        using var instance = VulkanInstance.Create(validation: false);
        return instance.PhysicalDevices().Select((d, i) => DeviceInfo.Query(d, i)).ToArray();
    }

    private static int PreferredDevice(DeviceInfo[] infos)
    {
        foreach (var type in new[] { "discrete GPU", "integrated GPU" })
            for (int i = 0; i < infos.Length; i++)
                if (infos[i].Type == type) return i;
        return 0;
    }

    /// <summary>One queue computes and presents, so frames need no ownership transfer between queues.</summary>
    private uint PresentingQueueFamily(Presentation presentation)
    {
        foreach (var family in DeviceInfo.ComputeQueueFamilies(PhysicalDevice))
            if (presentation.CanPresent(Instance.Handle, PhysicalDevice, family)) return family;
        throw new VulkanUnavailableException($"{Info.Name} has no compute queue that can present to this display; pick another with --device (`vae devices`).");
    }

    private static nint CreateDevice(nint physicalDevice, uint queueFamily, IReadOnlyList<string> extensions)
    {
        using var names = new NativeStrings(extensions);
        var extensionNames = stackalloc byte*[Math.Max(1, extensions.Count)];
        for (int i = 0; i < extensions.Count; i++) extensionNames[i] = names[extensions[i]];
        float priority = 1f;
        var queueInfo = new VkDeviceQueueCreateInfo
        {
            sType = VkStructureType.DeviceQueueCreateInfo,
            queueFamilyIndex = queueFamily,
            queueCount = 1,
            pQueuePriorities = &priority,
        };
        var createInfo = new VkDeviceCreateInfo
        {
            sType = VkStructureType.DeviceCreateInfo,
            queueCreateInfoCount = 1,
            pQueueCreateInfos = &queueInfo,
            enabledExtensionCount = (uint)extensions.Count,
            ppEnabledExtensionNames = extensionNames,
        };
        nint device;
        Vk.Check(Vk.vkCreateDevice(physicalDevice, &createInfo, null, &device), "vkCreateDevice");
        return device;
    }

    private uint? FindMemoryType(uint required)
    {
        VkPhysicalDeviceMemoryProperties memory;
        Vk.vkGetPhysicalDeviceMemoryProperties(PhysicalDevice, &memory);
        for (uint i = 0; i < memory.memoryTypeCount; i++)
            if ((memory.memoryTypes[(int)i].propertyFlags & required) == required)
                return i;
        return null;
    }

    /// <summary>
    /// Creates a buffer with its own memory: a tensor (device memory, mapped when unified) or a
    /// staging buffer (host memory, mapped). Mapped buffers stay mapped for their lifetime.
    /// </summary>
    internal (ulong Buffer, ulong Memory, nint Mapped) CreateBuffer(ulong sizeBytes, uint usage, bool staging)
    {
        var bufferInfo = new VkBufferCreateInfo
        {
            sType = VkStructureType.BufferCreateInfo,
            size = sizeBytes,
            usage = usage,
            sharingMode = Vk.SHARING_MODE_EXCLUSIVE,
        };
        ulong buffer;
        Vk.Check(Vk.vkCreateBuffer(Device, &bufferInfo, null, &buffer), "vkCreateBuffer");
        VkMemoryRequirements requirements;
        Vk.vkGetBufferMemoryRequirements(Device, buffer, &requirements);
        uint type = staging ? _stagingType : _deviceLocalType;
        bool map = staging || UnifiedMemory;
        if ((requirements.memoryTypeBits & (1u << (int)type)) == 0)
        {
            Vk.vkDestroyBuffer(Device, buffer, null);
            throw new VulkanException($"The chosen memory type {type} cannot hold storage buffers on this device.");
        }
        var allocateInfo = new VkMemoryAllocateInfo
        {
            sType = VkStructureType.MemoryAllocateInfo,
            allocationSize = requirements.size,
            memoryTypeIndex = type,
        };
        ulong memory;
        var result = Vk.vkAllocateMemory(Device, &allocateInfo, null, &memory);
        if (result != VkResult.Success) Vk.vkDestroyBuffer(Device, buffer, null);
        Vk.Check(result, $"vkAllocateMemory ({sizeBytes / 1048576.0:F1} MiB)");
        Vk.Check(Vk.vkBindBufferMemory(Device, buffer, memory, 0), "vkBindBufferMemory");
        void* mapped = null;
        if (map) Vk.Check(Vk.vkMapMemory(Device, memory, 0, Vk.WHOLE_SIZE, 0, &mapped), "vkMapMemory");
        return (buffer, memory, (nint)mapped);
    }

    internal void DestroyBuffer(ulong buffer, ulong memory)
    {
        Vk.vkDestroyBuffer(Device, buffer, null);
        Vk.vkFreeMemory(Device, memory, null);
    }

    public Tensor CreateTensor(string name, long length) => new(this, name, length);

    public Tensor CreateTensor(string name, ReadOnlySpan<float> data)
    {
        var tensor = new Tensor(this, name, data.Length);
        tensor.Upload(data);
        return tensor;
    }

    /// <summary>
    /// The compute pipeline of shaders/NAME.comp with the given specialization constants
    /// (constant_id 0, 1, ... in order), compiled once per device and reused.
    /// </summary>
    public Kernel Kernel(string shader, KernelSignature signature, params uint[] specialization)
    {
        var key = shader + "|" + string.Join(",", specialization);
        if (!_kernels.TryGetValue(key, out var kernel))
            _kernels[key] = kernel = new Kernel(this, shader, signature, specialization);
        return kernel;
    }

    internal nint AllocateCommandBuffer()
    {
        var info = new VkCommandBufferAllocateInfo
        {
            sType = VkStructureType.CommandBufferAllocateInfo,
            commandPool = _commandPool,
            level = Vk.COMMAND_BUFFER_LEVEL_PRIMARY,
            commandBufferCount = 1,
        };
        nint commandBuffer;
        Vk.Check(Vk.vkAllocateCommandBuffers(Device, &info, &commandBuffer), "vkAllocateCommandBuffers");
        return commandBuffer;
    }

    internal void FreeCommandBuffer(nint commandBuffer) => Vk.vkFreeCommandBuffers(Device, _commandPool, 1, &commandBuffer);

    /// <summary>Records and runs a sequence once and waits: for set-up and read-back, not for the hot path.</summary>
    public void Run(Action<SequenceRecorder> record)
    {
        using var sequence = Sequence.Record(this, "run", record);
        sequence.Submit().Wait();
    }

    internal Submission Submit(nint commandBuffer, int repeat)
    {
        var fenceInfo = new VkFenceCreateInfo { sType = VkStructureType.FenceCreateInfo };
        ulong fence;
        Vk.Check(Vk.vkCreateFence(Device, &fenceInfo, null, &fence), "vkCreateFence");
        var buffers = new nint[repeat];
        Array.Fill(buffers, commandBuffer);
        fixed (nint* p = buffers)
        {
            var submit = new VkSubmitInfo { sType = VkStructureType.SubmitInfo, commandBufferCount = (uint)repeat, pCommandBuffers = p };
            var result = Vk.vkQueueSubmit(Queue, 1, &submit, fence);
            if (result != VkResult.Success) Vk.vkDestroyFence(Device, fence, null);
            Vk.Check(result, "vkQueueSubmit");
        }
        return new Submission(this, fence); // validation errors of the submission surface from Wait, once the work is done
    }

    public void WaitIdle()
    {
        Vk.Check(Vk.vkDeviceWaitIdle(Device), "vkDeviceWaitIdle");
        Instance.ThrowIfValidationFailed();
    }

    public void Dispose()
    {
        if (Device != 0)
        {
            Vk.vkDeviceWaitIdle(Device);
            foreach (var kernel in _kernels.Values) kernel.Dispose();
            _kernels.Clear();
            if (_commandPool != 0) Vk.vkDestroyCommandPool(Device, _commandPool, null);
            _commandPool = 0;
            Vk.vkDestroyDevice(Device, null);
        }
        Instance.Dispose();
    }
}

/// <summary>Work in flight on the queue; Wait blocks the host until it has finished.</summary>
internal sealed unsafe class Submission(Gpu gpu, ulong fence) : IDisposable
{
    private ulong _fence = fence;

    public void Wait()
    {
        if (_fence == 0) return;
        var f = _fence;
        var result = Vk.vkWaitForFences(gpu.Device, 1, &f, 1, ulong.MaxValue);
        Vk.vkDestroyFence(gpu.Device, f, null);
        _fence = 0;
        Vk.Check(result, "vkWaitForFences");
        gpu.Instance.ThrowIfValidationFailed();
    }

    public void Dispose() => Wait();
}
