using System.Runtime.CompilerServices;

namespace VulkanAE.Core;

/// <summary>
/// How a kernel uses one of its bindings: the recorder derives barriers from it, and the shader
/// declares the same (readonly for Read, writeonly for Write, neither for ReadWrite: storage
/// buffers; a samplerBuffer for ReadTexels: the tensor read through a uniform texel buffer of
/// RGBA32F texels, texel i being elements 4i..4i+3, see <see cref="Tensor.TexelCount"/>).
/// </summary>
internal enum Access { Read, Write, ReadWrite, ReadTexels }

internal static class AccessExtensions
{
    public static bool Reads(this Access access) => access != Access.Write;

    public static bool Writes(this Access access) => access is Access.Write or Access.ReadWrite;
}

/// <summary>
/// The contract between a shader and the host code that dispatches it, declared once next to that
/// code: the shader, its storage buffers at bindings 0..n-1 of set 0 in order, its push-constant
/// record and its specialization-constants record. <see cref="Verify"/> checks it against what the
/// SPIR-V declares when a kernel is made, so a mismatch fails at start-up naming the shader and the
/// field instead of silently computing garbage.
/// </summary>
internal abstract record KernelSignature(string Shader, Access[] Bindings, int PushConstantBytes, string PushRecord)
{
    /// <summary>The name of the specialization-constants record, for error messages.</summary>
    public abstract string ConstantsRecord { get; }

    /// <summary>The record's constants (ids, fields and types; the values are its defaults').</summary>
    public abstract IReadOnlyList<SpecializationConstant> DeclaredConstants { get; }

    public static KernelSignature<TConstants> Of<TPush, TConstants>(string shader, params Access[] bindings)
        where TPush : unmanaged where TConstants : struct, ISpecializationConstants
        => new(shader, bindings, Unsafe.SizeOf<TPush>(), typeof(TPush).Name);

    /// <summary>Throws <see cref="ShaderContractException"/> listing every difference between this signature and the shader's SPIR-V.</summary>
    public void Verify(SpirvInterface spirv)
    {
        var errors = new List<string>();
        var buffers = new Dictionary<uint, SpirvBuffer>();
        foreach (var buffer in spirv.Buffers)
        {
            if (buffer.Set == 0) buffers[buffer.Binding] = buffer;
            else errors.Add($"the shader declares a storage buffer at set {buffer.Set}, binding {buffer.Binding}; kernels bind set 0 only");
        }
        for (int i = 0; i < Bindings.Length; i++)
        {
            if (!buffers.TryGetValue((uint)i, out var buffer))
            {
                errors.Add($"binding {i} is {Bindings[i]} in C#, but the shader declares no buffer there");
                continue;
            }
            if (buffer.Texels != (Bindings[i] == Access.ReadTexels))
            {
                errors.Add(buffer.Texels
                    ? $"binding {i} is {Bindings[i]} in C#, but the shader declares a texel buffer there (Access.ReadTexels)"
                    : $"binding {i} is {Bindings[i]} in C#, but the shader declares a storage buffer there");
                continue;
            }
            bool reads = Bindings[i].Reads(), writes = Bindings[i].Writes();
            if (buffer.Writes && !writes) errors.Add($"binding {i} is {Bindings[i]} in C#, but the shader may write it (not readonly: no NonWritable)");
            if (!buffer.Writes && writes) errors.Add($"binding {i} is {Bindings[i]} in C#, but the shader never writes it (readonly)");
            if (buffer.Reads && !reads) errors.Add($"binding {i} is {Bindings[i]} in C#, but the shader may read it (not writeonly: no NonReadable)");
            if (!buffer.Reads && reads) errors.Add($"binding {i} is {Bindings[i]} in C#, but the shader never reads it (writeonly)");
        }
        foreach (var binding in buffers.Keys.Where(b => b >= Bindings.Length).Order())
            errors.Add($"the shader declares binding {binding}, but C# binds {Bindings.Length} buffers");

        if (spirv.PushConstantBytes != PushConstantBytes)
            errors.Add($"push constants: {PushRecord} is {PushConstantBytes} bytes, the shader's block {spirv.PushConstantBytes}");

        var constants = DeclaredConstants;
        foreach (var repeated in constants.GroupBy(c => c.Id).Where(g => g.Count() > 1))
            errors.Add($"{ConstantsRecord} gives SpecId {repeated.Key} to {string.Join(" and ", repeated.Select(c => c.Field))}");
        foreach (var constant in constants)
        {
            if (!spirv.SpecConstants.TryGetValue(constant.Id, out var type))
                errors.Add($"{ConstantsRecord}.{constant.Field} sets SpecId {constant.Id}, which the shader does not declare (it declares {DescribeSpecIds(spirv)})");
            else if (type != constant.Type)
                errors.Add($"{ConstantsRecord}.{constant.Field} is a {constant.Type}, but the shader's SpecId {constant.Id} is a {type}");
        }
        foreach (var (id, type) in spirv.SpecConstants.Where(s => constants.All(c => c.Id != s.Key)).OrderBy(s => s.Key))
            errors.Add($"the shader's SpecId {id} ({type}) is set by no field of {ConstantsRecord}, so it would keep its default");

        if (errors.Count > 0)
            throw new ShaderContractException($"{Shader}: the shader does not match its C# signature ({PushRecord}, {ConstantsRecord}):\n  " + string.Join("\n  ", errors));
    }

    private static string DescribeSpecIds(SpirvInterface spirv)
        => spirv.SpecConstants.Count == 0 ? "none" : string.Join(", ", spirv.SpecConstants.OrderBy(s => s.Key).Select(s => $"{s.Key} {s.Value}"));
}

/// <summary>A signature whose specialization constants are given as a <typeparamref name="TConstants"/> record.</summary>
internal sealed record KernelSignature<TConstants>(string Shader, Access[] Bindings, int PushConstantBytes, string PushRecord)
    : KernelSignature(Shader, Bindings, PushConstantBytes, PushRecord)
    where TConstants : struct, ISpecializationConstants
{
    public override string ConstantsRecord => typeof(TConstants).Name;

    public override IReadOnlyList<SpecializationConstant> DeclaredConstants => default(TConstants).Constants;
}

/// <summary>A shader and the C# code that dispatches it disagree about its interface.</summary>
internal sealed class ShaderContractException(string message) : Exception(message);
