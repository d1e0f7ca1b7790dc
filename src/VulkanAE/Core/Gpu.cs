using System.Runtime.InteropServices;
using Silk.NET.Vulkan;
using VulkanAE.Tuning;
using Buffer = Silk.NET.Vulkan.Buffer;

namespace VulkanAE.Core;

/// <summary>
/// One Vulkan device and its compute queue: the root object of the engine. It owns the memory
/// policy (direct mapping on unified memory, staging copies on discrete GPUs), the compiled
/// kernels (cached by shader and specialization), and the submission of recorded sequences.
/// </summary>
internal sealed unsafe class Gpu : IDisposable
{
    private static Vk Vk => VulkanApi.Vk;

    private readonly Dictionary<string, Kernel> _kernels = new();
    private readonly uint _deviceLocalType;
    private readonly uint _stagingType;
    private CommandPool _commandPool;
    private readonly Dictionary<ulong, ulong> _allocationSizes = new();

    public VulkanInstance Instance { get; }
    public DeviceInfo Info { get; }
    public PhysicalDevice PhysicalDevice { get; }
    public Device Device { get; }
    public Queue Queue { get; }
    public uint QueueFamily { get; }

    /// <summary>Which kernel variant and launch shape each tunable op runs at each shape (see Tuning/).</summary>
    public KernelChoices KernelChoices { get; } = new();

    /// <summary>True when device memory can be mapped by the host, so uploads need no staging copy.</summary>
    public bool UnifiedMemory { get; }

    /// <summary>Bytes of device memory the tensors of this device object hold now (staging buffers, in host memory, not counted).</summary>
    public ulong AllocatedBytes { get; private set; }

    /// <summary>The most <see cref="AllocatedBytes"/> has been since the device was made or <see cref="ResetPeakAllocation"/>.</summary>
    public ulong PeakAllocatedBytes { get; private set; }

    /// <summary>Starts a new peak from what is allocated now (a benchmark measuring one stage at a time).</summary>
    public void ResetPeakAllocation() => PeakAllocatedBytes = AllocatedBytes;

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
            Device = CreateDevice(PhysicalDevice, Info, QueueFamily, DeviceExtensions(PhysicalDevice, presenting: options.Presentation is not null));
            Queue queue;
            Vk.GetDeviceQueue(Device, QueueFamily, 0, &queue);
            Queue = queue;

            const MemoryPropertyFlags hostVisible = MemoryPropertyFlags.HostVisibleBit | MemoryPropertyFlags.HostCoherentBit;
            _deviceLocalType = FindMemoryType(MemoryPropertyFlags.DeviceLocalBit)
                ?? throw new VulkanException("The device has no device-local memory type.");
            _stagingType = FindMemoryType(hostVisible | MemoryPropertyFlags.HostCachedBit) ?? FindMemoryType(hostVisible)
                ?? throw new VulkanException("The device has no host-visible coherent memory type for staging.");
            // On a CPU driver or an integrated GPU, device memory the host can map is the same RAM:
            // tensors live there and staging copies would be pure overhead. On a discrete GPU a
            // mappable device-local type (resizable BAR) is small and slow to read, so tensors stay
            // in plain device-local memory and move through staging buffers.
            var mappedDeviceType = FindMemoryType(MemoryPropertyFlags.DeviceLocalBit | hostVisible);
            UnifiedMemory = !options.ForceStaging && mappedDeviceType is not null && (Info.IsCpu || Info.Type == "integrated GPU");
            if (UnifiedMemory) _deviceLocalType = mappedDeviceType!.Value;

            var poolInfo = new CommandPoolCreateInfo
            {
                SType = StructureType.CommandPoolCreateInfo,
                Flags = CommandPoolCreateFlags.ResetCommandBufferBit,
                QueueFamilyIndex = QueueFamily,
            };
            CommandPool pool;
            Vk.CreateCommandPool(Device, &poolInfo, null, &pool).Check("vkCreateCommandPool");
            _commandPool = pool;
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>A device-level extension function (the swapchain's), which the loader does not export.</summary>
    public nint DeviceProcAddress(string name)
    {
        nint address = Vk.GetDeviceProcAddr(Device, name);
        if (address == 0) throw new VulkanException($"{name} is not available from this Vulkan device");
        return address;
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
            if (presentation.CanPresent(Instance.Handle.Handle, PhysicalDevice.Handle, family)) return family;
        throw new VulkanUnavailableException($"{Info.Name} has no compute queue that can present to this display; pick another with --device (`vae devices`).");
    }

    /// <summary>VK_KHR_swapchain, which a presenting device enables.</summary>
    private const string SwapchainExtension = "VK_KHR_swapchain";

    /// <summary>VK_KHR_portability_subset: a device that offers it (MoltenVK) must have it enabled.</summary>
    private const string PortabilitySubsetExtension = "VK_KHR_portability_subset";

    private static List<string> DeviceExtensions(PhysicalDevice physicalDevice, bool presenting)
    {
        uint count = 0;
        Vk.EnumerateDeviceExtensionProperties(physicalDevice, (byte*)null, &count, null).Check("vkEnumerateDeviceExtensionProperties");
        var offered = new ExtensionProperties[count];
        fixed (ExtensionProperties* p = offered)
            Vk.EnumerateDeviceExtensionProperties(physicalDevice, (byte*)null, &count, p).Check("vkEnumerateDeviceExtensionProperties");
        var extensions = new List<string>();
        if (presenting) extensions.Add(SwapchainExtension);
        if (offered.Any(e => Marshal.PtrToStringUTF8((nint)e.ExtensionName) == PortabilitySubsetExtension))
            extensions.Add(PortabilitySubsetExtension);
        return extensions;
    }

    /// <summary>
    /// The device with the optional features kernels use where offered: 64-bit integers (shaderInt64),
    /// which the matmul's 64-bit-load variant needs.
    /// </summary>
    private static Device CreateDevice(PhysicalDevice physicalDevice, DeviceInfo info, uint queueFamily, IReadOnlyList<string> extensions)
    {
        using var names = new NativeStrings(extensions);
        var extensionNames = stackalloc byte*[Math.Max(1, extensions.Count)];
        for (int i = 0; i < extensions.Count; i++) extensionNames[i] = names[extensions[i]];
        float priority = 1f;
        var queueInfo = new DeviceQueueCreateInfo
        {
            SType = StructureType.DeviceQueueCreateInfo,
            QueueFamilyIndex = queueFamily,
            QueueCount = 1,
            PQueuePriorities = &priority,
        };
        var features = new PhysicalDeviceFeatures { ShaderInt64 = info.ShaderInt64 };
        var createInfo = new DeviceCreateInfo
        {
            SType = StructureType.DeviceCreateInfo,
            QueueCreateInfoCount = 1,
            PQueueCreateInfos = &queueInfo,
            PEnabledFeatures = &features,
            EnabledExtensionCount = (uint)extensions.Count,
            PpEnabledExtensionNames = extensionNames,
        };
        Device device;
        Vk.CreateDevice(physicalDevice, &createInfo, null, &device).Check("vkCreateDevice");
        return device;
    }

    private uint? FindMemoryType(MemoryPropertyFlags required)
    {
        PhysicalDeviceMemoryProperties memory;
        Vk.GetPhysicalDeviceMemoryProperties(PhysicalDevice, &memory);
        for (uint i = 0; i < memory.MemoryTypeCount; i++)
            if ((memory.MemoryTypes[(int)i].PropertyFlags & required) == required)
                return i;
        return null;
    }

    /// <summary>
    /// Creates a buffer with its own memory: a tensor (device memory, mapped when unified) or a
    /// staging buffer (host memory, mapped). Mapped buffers stay mapped for their lifetime.
    /// </summary>
    internal (Buffer Buffer, DeviceMemory Memory, nint Mapped) CreateBuffer(ulong sizeBytes, BufferUsageFlags usage, bool staging)
    {
        var bufferInfo = new BufferCreateInfo
        {
            SType = StructureType.BufferCreateInfo,
            Size = sizeBytes,
            Usage = usage,
            SharingMode = SharingMode.Exclusive,
        };
        Buffer buffer;
        Vk.CreateBuffer(Device, &bufferInfo, null, &buffer).Check("vkCreateBuffer");
        MemoryRequirements requirements;
        Vk.GetBufferMemoryRequirements(Device, buffer, &requirements);
        uint type = staging ? _stagingType : _deviceLocalType;
        bool map = staging || UnifiedMemory;
        if ((requirements.MemoryTypeBits & (1u << (int)type)) == 0)
        {
            Vk.DestroyBuffer(Device, buffer, null);
            throw new VulkanException($"The chosen memory type {type} cannot hold storage buffers on this device.");
        }
        var allocateInfo = new MemoryAllocateInfo
        {
            SType = StructureType.MemoryAllocateInfo,
            AllocationSize = requirements.Size,
            MemoryTypeIndex = type,
        };
        DeviceMemory memory;
        var result = Vk.AllocateMemory(Device, &allocateInfo, null, &memory);
        if (result != Result.Success) Vk.DestroyBuffer(Device, buffer, null);
        result.Check($"vkAllocateMemory ({sizeBytes / 1048576.0:F1} MiB)");
        Vk.BindBufferMemory(Device, buffer, memory, 0).Check("vkBindBufferMemory");
        if (!staging)
        {
            _allocationSizes[memory.Handle] = requirements.Size;
            AllocatedBytes += requirements.Size;
            PeakAllocatedBytes = Math.Max(PeakAllocatedBytes, AllocatedBytes);
        }
        void* mapped = null;
        if (map) Vk.MapMemory(Device, memory, 0, Vk.WholeSize, 0, &mapped).Check("vkMapMemory");
        return (buffer, memory, (nint)mapped);
    }

    internal void DestroyBuffer(Buffer buffer, DeviceMemory memory)
    {
        Vk.DestroyBuffer(Device, buffer, null);
        Vk.FreeMemory(Device, memory, null);
        if (_allocationSizes.Remove(memory.Handle, out ulong size)) AllocatedBytes -= size;
    }

    public Tensor CreateTensor(string name, long length) => new(this, name, length);

    public Tensor CreateTensor(string name, ReadOnlySpan<float> data)
    {
        var tensor = new Tensor(this, name, data.Length);
        tensor.Upload(data);
        return tensor;
    }

    /// <summary>
    /// The compute pipeline of the signature's shader with the given specialization constants,
    /// checked against the SPIR-V and compiled once per device, then reused.
    /// </summary>
    public Kernel Kernel<TConstants>(KernelSignature<TConstants> signature, TConstants constants) where TConstants : struct, ISpecializationConstants
    {
        var values = constants.Constants;
        var key = signature.Shader + "|" + string.Join(",", values.Select(c => $"{c.Id}={c.Bits}"));
        if (!_kernels.TryGetValue(key, out var kernel))
            _kernels[key] = kernel = new Kernel(this, signature, values);
        return kernel;
    }

    /// <summary>The compute pipeline of a shader without specialization constants.</summary>
    public Kernel Kernel(KernelSignature<NoConstants> signature) => Kernel(signature, default(NoConstants));

    internal CommandBuffer AllocateCommandBuffer()
    {
        var info = new CommandBufferAllocateInfo
        {
            SType = StructureType.CommandBufferAllocateInfo,
            CommandPool = _commandPool,
            Level = CommandBufferLevel.Primary,
            CommandBufferCount = 1,
        };
        CommandBuffer commandBuffer;
        Vk.AllocateCommandBuffers(Device, &info, &commandBuffer).Check("vkAllocateCommandBuffers");
        return commandBuffer;
    }

    internal void FreeCommandBuffer(CommandBuffer commandBuffer) => Vk.FreeCommandBuffers(Device, _commandPool, 1, &commandBuffer);

    /// <summary>Records and runs a sequence once and waits: for set-up and read-back, not for the hot path.</summary>
    public void Run(Action<SequenceRecorder> record)
    {
        using var sequence = Sequence.Record(this, "run", record);
        sequence.Submit().Wait();
    }

    internal Submission Submit(CommandBuffer commandBuffer, int repeat)
    {
        var fenceInfo = new FenceCreateInfo { SType = StructureType.FenceCreateInfo };
        Fence fence;
        Vk.CreateFence(Device, &fenceInfo, null, &fence).Check("vkCreateFence");
        var buffers = new CommandBuffer[repeat];
        Array.Fill(buffers, commandBuffer);
        fixed (CommandBuffer* p = buffers)
        {
            var submit = new SubmitInfo { SType = StructureType.SubmitInfo, CommandBufferCount = (uint)repeat, PCommandBuffers = p };
            var result = Vk.QueueSubmit(Queue, 1, &submit, fence);
            if (result != Result.Success) Vk.DestroyFence(Device, fence, null);
            result.Check("vkQueueSubmit");
        }
        return new Submission(this, fence); // validation errors of the submission surface from Wait, once the work is done
    }

    public void WaitIdle()
    {
        Vk.DeviceWaitIdle(Device).Check("vkDeviceWaitIdle");
        Instance.ThrowIfValidationFailed();
    }

    public void Dispose()
    {
        if (Device.Handle != 0)
        {
            Vk.DeviceWaitIdle(Device);
            foreach (var kernel in _kernels.Values) kernel.Dispose();
            _kernels.Clear();
            if (_commandPool.Handle != 0) Vk.DestroyCommandPool(Device, _commandPool, null);
            _commandPool = default;
            Vk.DestroyDevice(Device, null);
        }
        Instance.Dispose();
    }
}

/// <summary>Work in flight on the queue; Wait blocks the host until it has finished.</summary>
internal sealed unsafe class Submission(Gpu gpu, Fence fence) : IDisposable
{
    private Fence _fence = fence;

    public void Wait()
    {
        if (_fence.Handle == 0) return;
        var f = _fence;
        var result = VulkanApi.Vk.WaitForFences(gpu.Device, 1, &f, true, ulong.MaxValue);
        VulkanApi.Vk.DestroyFence(gpu.Device, f, null);
        _fence = default;
        result.Check("vkWaitForFences");
        gpu.Instance.ThrowIfValidationFailed();
    }

    public void Dispose() => Wait();
}
