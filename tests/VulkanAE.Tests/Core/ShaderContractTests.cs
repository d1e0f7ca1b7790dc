using System.Reflection;
using VulkanAE.Core;
using static VulkanAE.Core.SpecializationConstant;

namespace VulkanAE.Tests.Core;

/// <summary>
/// The C#-shader contract: every shader's C# signature (bindings and their access, push-constant
/// record, specialization-constants record) against what its compiled SPIR-V declares. No device
/// is needed: the same check runs again whenever a kernel is made.
/// </summary>
public class ShaderContractTests
{
    private readonly record struct Count(uint Value);

    /// <summary>activation_forward.comp's constants with VECTOR at KIND's SpecId, and KIND missing.</summary>
    private readonly record struct MisnumberedConstants(uint WorkgroupSize, bool Vector) : ISpecializationConstants
    {
        public IReadOnlyList<SpecializationConstant> Constants => [Of(0, WorkgroupSize), Of(1, Vector)];
    }

    private readonly record struct ActivationLikeConstants(uint WorkgroupSize, uint Kind, bool Vector) : ISpecializationConstants
    {
        public IReadOnlyList<SpecializationConstant> Constants => [Of(0, WorkgroupSize), Of(1, Kind), Of(2, Vector)];
    }

    /// <summary>Every KernelSignature the engine declares, found in its static fields.</summary>
    private static IReadOnlyList<KernelSignature> EngineSignatures() => typeof(Gpu).Assembly.GetTypes()
        .SelectMany(t => t.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
        .Where(f => typeof(KernelSignature).IsAssignableFrom(f.FieldType))
        .Select(f => (KernelSignature)f.GetValue(null)!)
        .ToArray();

    private static SpirvInterface Spirv(string shader) => SpirvInterface.Read(Kernel.ReadSpirv(shader), shader);

    [Test]
    public void EveryShaderMatchesItsSignature()
    {
        var failures = new List<string>();
        foreach (var signature in EngineSignatures())
        {
            try { signature.Verify(Spirv(signature.Shader)); }
            catch (ShaderContractException e) { failures.Add(e.Message); }
        }
        Assert.That(failures, Is.Empty, string.Join("\n", failures));
    }

    [Test]
    public void EveryCompiledShaderHasOneSignature()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "shaders");
        var compiled = Directory.GetFiles(folder, "*.spv", SearchOption.AllDirectories)
            .Select(f => Path.ChangeExtension(Path.GetRelativePath(folder, f), null).Replace('\\', '/'))
            .Order().ToArray();
        var declared = EngineSignatures().Select(s => s.Shader).Order().ToArray();
        Assert.That(compiled, Has.Length.GreaterThan(30));
        Assert.That(declared, Is.EqualTo(compiled), "each shader in shaders/ needs exactly one KernelSignature next to the code that dispatches it");
    }

    [Test]
    public void ReadsWhatActivationForwardDeclares()
    {
        // From the GLSL: readonly float/vec4 views at binding 0, writeonly at 1; push { uint count; };
        // local_size_x_id = 0, KIND (uint) at 1, VECTOR (bool) at 2.
        var spirv = Spirv("activation/activation_forward");
        Assert.That(spirv.Buffers, Is.EqualTo(new[] { new SpirvBuffer(0, 0, Reads: true, Writes: false), new SpirvBuffer(0, 1, Reads: false, Writes: true) }));
        Assert.That(spirv.PushConstantBytes, Is.EqualTo(4));
        Assert.That(spirv.SpecConstants, Is.EquivalentTo(new Dictionary<uint, SpecializationType>
        {
            [0] = SpecializationType.UInt, [1] = SpecializationType.UInt, [2] = SpecializationType.Bool,
        }));
    }

    [Test]
    public void ReadsAReadWriteBindingAndAPushBlockWithAFloat()
    {
        // adam.comp: p, m, v are read and written (bindings 0, 2, 3); its push block is one uint and ten floats.
        var spirv = Spirv("optim/adam");
        Assert.That(spirv.Buffers.Select(b => (b.Binding, b.Reads, b.Writes)),
            Is.EqualTo(new[] { (0u, true, true), (1u, true, false), (2u, true, true), (3u, true, true), (4u, true, false) }));
        Assert.That(spirv.PushConstantBytes, Is.EqualTo(44));
    }

    [Test]
    public void ABindingDeclaredReadButWrittenNamesTheShaderAndTheBinding()
    {
        var lying = KernelSignature.Of<Count, ActivationLikeConstants>("activation/activation_forward", Access.Read, Access.Read);
        var error = Assert.Throws<ShaderContractException>(() => lying.Verify(Spirv(lying.Shader)))!;
        Assert.That(error.Message, Does.StartWith("activation/activation_forward: "));
        Assert.That(error.Message, Does.Contain("binding 1 is Read in C#, but the shader may write it"));
    }

    [Test]
    public void ReadsSamplerBuffersAsTexelBindings()
    {
        // matmul_subgroup_block_texel.comp: storage buffers A, B, C, bias at 0-3; samplerBuffers over A and B at 4 and 5.
        var spirv = Spirv("dense/matmul_subgroup_block_texel");
        Assert.That(spirv.Buffers.Select(b => (b.Binding, b.Reads, b.Writes, b.Texels)), Is.EqualTo(new[]
        {
            (0u, true, false, false), (1u, true, false, false), (2u, false, true, false), (3u, true, false, false),
            (4u, true, false, true), (5u, true, false, true),
        }));
    }

    [Test]
    public void AStorageBufferDeclaredAsTexelsAndTexelsDeclaredAsAStorageBufferAreNamed()
    {
        var swapped = KernelSignature.Of<Count, ActivationLikeConstants>("dense/matmul_subgroup_block_texel",
            Access.ReadTexels, Access.Read, Access.Write, Access.Read, Access.Read, Access.ReadTexels);
        var error = Assert.Throws<ShaderContractException>(() => swapped.Verify(Spirv(swapped.Shader)))!;
        Assert.That(error.Message, Does.Contain("binding 0 is ReadTexels in C#, but the shader declares a storage buffer there"));
        Assert.That(error.Message, Does.Contain("binding 4 is Read in C#, but the shader declares a texel buffer there"));
        Assert.That(error.Message, Does.Not.Contain("binding 5"));
    }

    [Test]
    public void AMisnumberedConstantNamesTheShaderAndTheField()
    {
        var signature = KernelSignature.Of<Count, MisnumberedConstants>("activation/activation_forward", Access.Read, Access.Write);
        var error = Assert.Throws<ShaderContractException>(() => signature.Verify(Spirv(signature.Shader)))!;
        Assert.That(error.Message, Does.StartWith("activation/activation_forward: "));
        Assert.That(error.Message, Does.Contain("MisnumberedConstants.Vector is a Bool, but the shader's SpecId 1 is a UInt"));
        Assert.That(error.Message, Does.Contain("the shader's SpecId 2 (Bool) is set by no field of MisnumberedConstants"));
    }

    [Test]
    public void WrongBindingCountAndPushSizeAreNamed()
    {
        var signature = KernelSignature.Of<ulong, ActivationLikeConstants>("activation/activation_forward", Access.Read, Access.Write, Access.Write);
        var error = Assert.Throws<ShaderContractException>(() => signature.Verify(Spirv(signature.Shader)))!;
        Assert.That(error.Message, Does.Contain("binding 2 is Write in C#, but the shader declares no buffer there"));
        Assert.That(error.Message, Does.Contain("push constants: UInt64 is 8 bytes, the shader's block 4"));
    }

    [Test]
    public void AFileThatIsNotSpirvNamesTheShader()
    {
        var error = Assert.Throws<InvalidDataException>(() => SpirvInterface.Read("#version 450\n void main() {}\n"u8, "dense/broken"))!;
        Assert.That(error.Message, Does.StartWith("dense/broken: not a SPIR-V module"));
    }
}
