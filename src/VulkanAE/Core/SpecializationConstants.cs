using System.Runtime.CompilerServices;

namespace VulkanAE.Core;

/// <summary>The type of a specialization constant: Vulkan passes each as 32 bits (a bool as 0 or 1).</summary>
internal enum SpecializationType { Bool, UInt, Int, Float, Other }

/// <summary>
/// One specialization constant of a shader: its constant_id (SpecId), the host field that sets it
/// (for error messages), its type and its 32-bit value.
/// </summary>
internal readonly record struct SpecializationConstant(uint Id, string Field, SpecializationType Type, uint Bits)
{
    public static SpecializationConstant Of(uint id, uint value, [CallerArgumentExpression(nameof(value))] string field = "")
        => new(id, field, SpecializationType.UInt, value);

    public static SpecializationConstant Of(uint id, bool value, [CallerArgumentExpression(nameof(value))] string field = "")
        => new(id, field, SpecializationType.Bool, value ? 1u : 0u);

    /// <summary>An enum mirrored by a shader's uint constant (e.g. ActivationKind and KIND).</summary>
    public static SpecializationConstant Of<TEnum>(uint id, TEnum value, [CallerArgumentExpression(nameof(value))] string field = "")
        where TEnum : struct, Enum
        => new(id, field, SpecializationType.UInt, Convert.ToUInt32(value));

    public override string ToString() => $"{Field} (SpecId {Id}, {Type})";
}

/// <summary>
/// A shader's specialization constants as one typed record, declared next to its push-constant
/// record: each field listed with the constant_id the shader gives it. The ids and types are the
/// same whatever the values, and <see cref="KernelSignature"/> checks them against the SPIR-V.
/// </summary>
internal interface ISpecializationConstants
{
    IReadOnlyList<SpecializationConstant> Constants { get; }
}

/// <summary>A shader without specialization constants.</summary>
internal readonly record struct NoConstants : ISpecializationConstants
{
    public IReadOnlyList<SpecializationConstant> Constants => [];
}

/// <summary>A shader whose only constant is its 1-D workgroup size (layout(local_size_x_id = 0)).</summary>
internal readonly record struct WorkgroupConstants(uint WorkgroupSize) : ISpecializationConstants
{
    public IReadOnlyList<SpecializationConstant> Constants => [SpecializationConstant.Of(0, WorkgroupSize)];
}

/// <summary>A shader whose only constants are its 2-D workgroup size (local_size_x_id = 0, local_size_y_id = 1).</summary>
internal readonly record struct Workgroup2DConstants(uint WorkgroupX, uint WorkgroupY) : ISpecializationConstants
{
    public IReadOnlyList<SpecializationConstant> Constants => [SpecializationConstant.Of(0, WorkgroupX), SpecializationConstant.Of(1, WorkgroupY)];
}
