using VulkanAE.Vulkan;

namespace VulkanAE.Core;

/// <summary>How a kernel uses one of its storage-buffer bindings; the recorder derives barriers from it.</summary>
internal enum Access { Read, Write, ReadWrite }

/// <summary>
/// The interface of a shader: its storage buffers at bindings 0..n-1 of set 0, in order, and the
/// size of its push-constant block. Declared once next to the host code that dispatches it.
/// </summary>
internal sealed record KernelSignature(Access[] Bindings, int PushConstantBytes)
{
    public static KernelSignature Of<TPush>(params Access[] bindings) where TPush : unmanaged
        => new(bindings, System.Runtime.CompilerServices.Unsafe.SizeOf<TPush>());
}

/// <summary>A compute pipeline: one SPIR-V shader with fixed specialization constants.</summary>
internal sealed unsafe class Kernel : IDisposable
{
    private readonly Gpu _gpu;

    public string Name { get; }
    public KernelSignature Signature { get; }
    public ulong Pipeline { get; private set; }
    public ulong PipelineLayout { get; private set; }
    public ulong DescriptorSetLayout { get; private set; }

    internal Kernel(Gpu gpu, string shader, KernelSignature signature, uint[] specialization)
    {
        _gpu = gpu;
        Name = shader;
        Signature = signature;
        if (signature.PushConstantBytes > gpu.Info.MaxPushConstantsSize)
            throw new VulkanException($"{shader}: {signature.PushConstantBytes} bytes of push constants exceed this device's {gpu.Info.MaxPushConstantsSize}");
        var path = Path.Combine(AppContext.BaseDirectory, "shaders", shader + ".spv");
        if (!File.Exists(path))
            throw new FileNotFoundException($"SPIR-V for shader '{shader}' not found at {path}; build the project (`dotnet build`) to compile shaders/.", path);
        var code = File.ReadAllBytes(path);

        var bindings = new VkDescriptorSetLayoutBinding[signature.Bindings.Length];
        for (int i = 0; i < bindings.Length; i++)
            bindings[i] = new VkDescriptorSetLayoutBinding
            {
                binding = (uint)i,
                descriptorType = Vk.DESCRIPTOR_TYPE_STORAGE_BUFFER,
                descriptorCount = 1,
                stageFlags = Vk.SHADER_STAGE_COMPUTE_BIT,
            };
        fixed (VkDescriptorSetLayoutBinding* b = bindings)
        {
            var layoutInfo = new VkDescriptorSetLayoutCreateInfo
            {
                sType = VkStructureType.DescriptorSetLayoutCreateInfo,
                bindingCount = (uint)bindings.Length,
                pBindings = b,
            };
            ulong setLayout;
            Vk.Check(Vk.vkCreateDescriptorSetLayout(gpu.Device, &layoutInfo, null, &setLayout), "vkCreateDescriptorSetLayout");
            DescriptorSetLayout = setLayout;
        }

        var pushRange = new VkPushConstantRange { stageFlags = Vk.SHADER_STAGE_COMPUTE_BIT, size = (uint)signature.PushConstantBytes };
        var setLayoutHandle = DescriptorSetLayout;
        var pipelineLayoutInfo = new VkPipelineLayoutCreateInfo
        {
            sType = VkStructureType.PipelineLayoutCreateInfo,
            setLayoutCount = 1,
            pSetLayouts = &setLayoutHandle,
            pushConstantRangeCount = signature.PushConstantBytes > 0 ? 1u : 0u,
            pPushConstantRanges = &pushRange,
        };
        ulong pipelineLayout;
        Vk.Check(Vk.vkCreatePipelineLayout(gpu.Device, &pipelineLayoutInfo, null, &pipelineLayout), "vkCreatePipelineLayout");
        PipelineLayout = pipelineLayout;

        ulong module;
        fixed (byte* c = code)
        {
            var moduleInfo = new VkShaderModuleCreateInfo { sType = VkStructureType.ShaderModuleCreateInfo, codeSize = (nuint)code.Length, pCode = (uint*)c };
            Vk.Check(Vk.vkCreateShaderModule(gpu.Device, &moduleInfo, null, &module), $"vkCreateShaderModule({shader})");
        }
        try
        {
            var entries = new VkSpecializationMapEntry[specialization.Length];
            for (int i = 0; i < entries.Length; i++)
                entries[i] = new VkSpecializationMapEntry { constantID = (uint)i, offset = (uint)(i * 4), size = 4 };
            using var entryName = new NativeStrings(["main"]);
            fixed (VkSpecializationMapEntry* e = entries)
            fixed (uint* values = specialization)
            {
                var specializationInfo = new VkSpecializationInfo
                {
                    mapEntryCount = (uint)entries.Length,
                    pMapEntries = e,
                    dataSize = (nuint)(specialization.Length * 4),
                    pData = values,
                };
                var pipelineInfo = new VkComputePipelineCreateInfo
                {
                    sType = VkStructureType.ComputePipelineCreateInfo,
                    stage = new VkPipelineShaderStageCreateInfo
                    {
                        sType = VkStructureType.PipelineShaderStageCreateInfo,
                        stage = Vk.SHADER_STAGE_COMPUTE_BIT,
                        module = module,
                        pName = entryName["main"],
                        pSpecializationInfo = specialization.Length > 0 ? &specializationInfo : null,
                    },
                    layout = PipelineLayout,
                };
                ulong pipeline;
                Vk.Check(Vk.vkCreateComputePipelines(gpu.Device, 0, 1, &pipelineInfo, null, &pipeline), $"vkCreateComputePipelines({shader})");
                Pipeline = pipeline;
            }
        }
        finally
        {
            Vk.vkDestroyShaderModule(gpu.Device, module, null);
        }
        gpu.Instance.ThrowIfValidationFailed();
    }

    public override string ToString() => Name;

    public void Dispose()
    {
        Vk.vkDestroyPipeline(_gpu.Device, Pipeline, null);
        Vk.vkDestroyPipelineLayout(_gpu.Device, PipelineLayout, null);
        Vk.vkDestroyDescriptorSetLayout(_gpu.Device, DescriptorSetLayout, null);
        Pipeline = PipelineLayout = DescriptorSetLayout = 0;
    }
}
