using Silk.NET.Vulkan;

namespace VulkanAE.Core;

/// <summary>A compute pipeline: one SPIR-V shader with fixed specialization constants.</summary>
internal sealed unsafe class Kernel : IDisposable
{
    private static Vk Vk => VulkanApi.Vk;

    private readonly Gpu _gpu;

    public string Name { get; }
    public KernelSignature Signature { get; }
    public Pipeline Pipeline { get; private set; }
    public PipelineLayout PipelineLayout { get; private set; }
    public DescriptorSetLayout DescriptorSetLayout { get; private set; }

    /// <summary>Makes the pipeline of <paramref name="signature"/>'s shader once its SPIR-V is checked against the signature.</summary>
    internal Kernel(Gpu gpu, KernelSignature signature, IReadOnlyList<SpecializationConstant> constants)
    {
        _gpu = gpu;
        var shader = Name = signature.Shader;
        Signature = signature;
        if (signature.PushConstantBytes > gpu.Info.MaxPushConstantsSize)
            throw new VulkanException($"{shader}: {signature.PushConstantBytes} bytes of push constants exceed this device's {gpu.Info.MaxPushConstantsSize}");
        var code = ReadSpirv(shader);
        signature.Verify(SpirvInterface.Read(code, shader));

        var bindings = new DescriptorSetLayoutBinding[signature.Bindings.Length];
        for (int i = 0; i < bindings.Length; i++)
            bindings[i] = new DescriptorSetLayoutBinding
            {
                Binding = (uint)i,
                DescriptorType = DescriptorTypeOf(signature.Bindings[i]),
                DescriptorCount = 1,
                StageFlags = ShaderStageFlags.ComputeBit,
            };
        fixed (DescriptorSetLayoutBinding* b = bindings)
        {
            var layoutInfo = new DescriptorSetLayoutCreateInfo
            {
                SType = StructureType.DescriptorSetLayoutCreateInfo,
                BindingCount = (uint)bindings.Length,
                PBindings = b,
            };
            DescriptorSetLayout setLayout;
            Vk.CreateDescriptorSetLayout(gpu.Device, &layoutInfo, null, &setLayout).Check("vkCreateDescriptorSetLayout");
            DescriptorSetLayout = setLayout;
        }

        var pushRange = new PushConstantRange { StageFlags = ShaderStageFlags.ComputeBit, Size = (uint)signature.PushConstantBytes };
        var setLayoutHandle = DescriptorSetLayout;
        var pipelineLayoutInfo = new PipelineLayoutCreateInfo
        {
            SType = StructureType.PipelineLayoutCreateInfo,
            SetLayoutCount = 1,
            PSetLayouts = &setLayoutHandle,
            PushConstantRangeCount = signature.PushConstantBytes > 0 ? 1u : 0u,
            PPushConstantRanges = &pushRange,
        };
        PipelineLayout pipelineLayout;
        Vk.CreatePipelineLayout(gpu.Device, &pipelineLayoutInfo, null, &pipelineLayout).Check("vkCreatePipelineLayout");
        PipelineLayout = pipelineLayout;

        ShaderModule module;
        fixed (byte* c = code)
        {
            var moduleInfo = new ShaderModuleCreateInfo { SType = StructureType.ShaderModuleCreateInfo, CodeSize = (nuint)code.Length, PCode = (uint*)c };
            Vk.CreateShaderModule(gpu.Device, &moduleInfo, null, &module).Check($"vkCreateShaderModule({shader})");
        }
        try
        {
            var entries = new SpecializationMapEntry[constants.Count];
            var data = new uint[constants.Count];
            for (int i = 0; i < entries.Length; i++)
            {
                entries[i] = new SpecializationMapEntry { ConstantID = constants[i].Id, Offset = (uint)(i * 4), Size = 4 };
                data[i] = constants[i].Bits;
            }
            using var entryName = new NativeStrings(["main"]);
            fixed (SpecializationMapEntry* e = entries)
            fixed (uint* values = data)
            {
                var specializationInfo = new SpecializationInfo
                {
                    MapEntryCount = (uint)entries.Length,
                    PMapEntries = e,
                    DataSize = (nuint)(data.Length * 4),
                    PData = values,
                };
                var pipelineInfo = new ComputePipelineCreateInfo
                {
                    SType = StructureType.ComputePipelineCreateInfo,
                    Stage = new PipelineShaderStageCreateInfo
                    {
                        SType = StructureType.PipelineShaderStageCreateInfo,
                        Stage = ShaderStageFlags.ComputeBit,
                        Module = module,
                        PName = entryName["main"],
                        PSpecializationInfo = entries.Length > 0 ? &specializationInfo : null,
                    },
                    Layout = PipelineLayout,
                };
                Pipeline pipeline;
                Vk.CreateComputePipelines(gpu.Device, default, 1, &pipelineInfo, null, &pipeline).Check($"vkCreateComputePipelines({shader})");
                Pipeline = pipeline;
            }
        }
        finally
        {
            Vk.DestroyShaderModule(gpu.Device, module, null);
        }
        gpu.Instance.ThrowIfValidationFailed();
    }

    /// <summary>The descriptor a binding takes: a uniform texel buffer for <see cref="Access.ReadTexels"/>, else a storage buffer.</summary>
    internal static DescriptorType DescriptorTypeOf(Access access)
        => access == Access.ReadTexels ? DescriptorType.UniformTexelBuffer : DescriptorType.StorageBuffer;

    /// <summary>The compiled shaders/NAME.comp, copied next to the assembly by the build.</summary>
    internal static byte[] ReadSpirv(string shader)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "shaders", shader + ".spv");
        if (!File.Exists(path))
            throw new FileNotFoundException($"SPIR-V for shader '{shader}' not found at {path}; build the project (`dotnet build`) to compile shaders/.", path);
        return File.ReadAllBytes(path);
    }

    public override string ToString() => Name;

    public void Dispose()
    {
        Vk.DestroyPipeline(_gpu.Device, Pipeline, null);
        Vk.DestroyPipelineLayout(_gpu.Device, PipelineLayout, null);
        Vk.DestroyDescriptorSetLayout(_gpu.Device, DescriptorSetLayout, null);
        Pipeline = default;
        PipelineLayout = default;
        DescriptorSetLayout = default;
    }
}
