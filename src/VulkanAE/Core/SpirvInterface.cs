using System.Buffers.Binary;

namespace VulkanAE.Core;

/// <summary>
/// A storage buffer as the shader declares it: descriptor set and binding, and whether any of its
/// declarations (a binding may have several views, float and vec4) lacks readonly (NonWritable)
/// or writeonly (NonReadable). Texels: a uniform texel buffer (samplerBuffer) instead, read only.
/// </summary>
internal sealed record SpirvBuffer(uint Set, uint Binding, bool Reads, bool Writes, bool Texels = false);

/// <summary>
/// The interface a compute shader's SPIR-V declares: its storage and uniform texel buffers, the size of its push
/// constant block (0 without one), and its specialization constants by SpecId. Read from the
/// module's decorations and types only; names are not needed (glslc -O strips them). Written by
/// hand: no SPIR-V reflection package is served here (Silk.NET.SPIRV.Reflect / .Cross are not),
/// and either would be a native library on every platform for this handful of decorations.
/// </summary>
internal sealed record SpirvInterface(IReadOnlyList<SpirvBuffer> Buffers, int PushConstantBytes, IReadOnlyDictionary<uint, SpecializationType> SpecConstants)
{
    private const uint Magic = 0x07230203;

    // Opcodes, decorations and storage classes of the SPIR-V specification (1.6), only those read.
    private const int OpTypeBool = 20, OpTypeInt = 21, OpTypeFloat = 22, OpTypeVector = 23, OpTypeArray = 28, OpTypeStruct = 30,
        OpTypeImage = 25, OpTypeSampledImage = 27, OpTypePointer = 32, OpConstant = 43, OpSpecConstantTrue = 48, OpSpecConstantFalse = 49, OpSpecConstant = 50,
        OpVariable = 59, OpDecorate = 71, OpMemberDecorate = 72;
    private const uint SpecId = 1, BufferBlock = 3, ArrayStride = 6, NonWritable = 24, NonReadable = 25, Binding = 33, DescriptorSet = 34, Offset = 35;
    private const uint DimBuffer = 5, ImageSampled = 1;
    private const uint StorageClassUniformConstant = 0, StorageClassUniform = 2, StorageClassPushConstant = 9, StorageClassStorageBuffer = 12;

    /// <summary>Reads the interface of a SPIR-V module; <paramref name="shader"/> names it in errors.</summary>
    public static SpirvInterface Read(ReadOnlySpan<byte> code, string shader)
    {
        if (code.Length < 20 || code.Length % 4 != 0 || BinaryPrimitives.ReadUInt32LittleEndian(code) != Magic)
            throw new InvalidDataException($"{shader}: not a SPIR-V module (no little-endian magic number 0x07230203); rebuild the shaders.");
        var words = new uint[code.Length / 4];
        for (int i = 0; i < words.Length; i++) words[i] = BinaryPrimitives.ReadUInt32LittleEndian(code[(4 * i)..]);

        var decorations = new Dictionary<uint, List<(uint Decoration, uint Value)>>();
        var memberDecorations = new Dictionary<(uint Struct, uint Member), List<(uint Decoration, uint Value)>>();
        var types = new Dictionary<uint, uint[]>(); // result id -> the instruction's words (opcode first)
        var constants = new Dictionary<uint, uint>();
        var specConstants = new List<(uint Id, uint Type, bool IsBool)>();
        var variables = new List<(uint Id, uint PointerType, uint StorageClass)>();
        for (int at = 5; at < words.Length;)
        {
            int count = (int)(words[at] >> 16), opcode = (int)(words[at] & 0xFFFF);
            if (count == 0 || at + count > words.Length) throw new InvalidDataException($"{shader}: truncated SPIR-V instruction at word {at}");
            var op = words.AsSpan(at, count);
            switch (opcode)
            {
                case OpDecorate:
                    Add(decorations, op[1], (op[2], count > 3 ? op[3] : 0));
                    break;
                case OpMemberDecorate:
                    Add(memberDecorations, (op[1], op[2]), (op[3], count > 4 ? op[4] : 0));
                    break;
                case OpTypeBool or OpTypeInt or OpTypeFloat or OpTypeVector or OpTypeArray or OpTypeStruct or OpTypePointer
                    or OpTypeImage or OpTypeSampledImage:
                    types[op[1]] = op.ToArray();
                    break;
                case OpConstant:
                    constants[op[2]] = op[3];
                    break;
                case OpSpecConstantTrue or OpSpecConstantFalse:
                    specConstants.Add((op[2], op[1], true));
                    break;
                case OpSpecConstant:
                    specConstants.Add((op[2], op[1], false));
                    break;
                case OpVariable:
                    variables.Add((op[2], op[1], op[3]));
                    break;
            }
            at += count;
        }

        uint? Decoration(uint id, uint decoration)
            => decorations.TryGetValue(id, out var list) && list.Any(d => d.Decoration == decoration) ? list.First(d => d.Decoration == decoration).Value : null;
        bool MemberHas(uint structId, uint member, uint decoration)
            => memberDecorations.TryGetValue((structId, member), out var list) && list.Any(d => d.Decoration == decoration);

        var specIds = new Dictionary<uint, SpecializationType>();
        foreach (var (id, type, isBool) in specConstants)
            if (Decoration(id, SpecId) is { } specId)
                specIds[specId] = isBool ? SpecializationType.Bool : ScalarType(types[type]);

        var buffers = new Dictionary<(uint, uint), SpirvBuffer>();
        int pushBytes = 0;
        foreach (var (id, pointerType, storageClass) in variables)
        {
            uint block = types[pointerType][3];
            var key = (Decoration(id, DescriptorSet) ?? 0, Decoration(id, Binding) ?? 0);
            if (storageClass == StorageClassUniformConstant && IsTexelBuffer(block))
            {
                buffers[key] = new SpirvBuffer(key.Item1, key.Item2, Reads: true, Writes: false, Texels: true);
                continue;
            }
            bool storageBuffer = storageClass == StorageClassStorageBuffer
                || (storageClass == StorageClassUniform && Decoration(block, BufferBlock) is not null);
            if (storageClass == StorageClassPushConstant) pushBytes = SizeOf(block);
            if (!storageBuffer) continue;
            // readonly / writeonly are on the variable or on every member of its block.
            int members = types[block].Length - 2;
            bool Everywhere(uint decoration) => Decoration(id, decoration) is not null
                || Enumerable.Range(0, members).All(m => MemberHas(block, (uint)m, decoration));
            var view = new SpirvBuffer(key.Item1, key.Item2, Reads: !Everywhere(NonReadable), Writes: !Everywhere(NonWritable));
            buffers[key] = buffers.TryGetValue(key, out var other)
                ? view with { Reads = view.Reads || other.Reads, Writes = view.Writes || other.Writes }
                : view;
        }
        return new SpirvInterface(buffers.Values.OrderBy(b => b.Set).ThenBy(b => b.Binding).ToArray(), pushBytes, specIds);

        // A samplerBuffer: a sampled image (OpTypeSampledImage) of an image of Dim Buffer, Sampled 1.
        bool IsTexelBuffer(uint type)
        {
            var t = types.GetValueOrDefault(type);
            if (t is null || (t[0] & 0xFFFF) != OpTypeSampledImage) return false;
            var image = types[t[2]];
            return image[3] == DimBuffer && image[7] == ImageSampled;
        }

        // Bytes of a type inside a block: scalars, vectors, arrays (by ArrayStride) and structs (by member Offset).
        int SizeOf(uint type)
        {
            var t = types[type];
            return (int)(t[0] & 0xFFFF) switch
            {
                OpTypeBool => 4,
                OpTypeInt or OpTypeFloat => (int)t[2] / 8,
                OpTypeVector => SizeOf(t[2]) * (int)t[3],
                OpTypeArray => (int)(constants[t[3]] * (Decoration(type, ArrayStride) ?? (uint)SizeOf(t[2]))),
                OpTypeStruct => Enumerable.Range(0, t.Length - 2).Select(m =>
                    (int)(memberDecorations[(type, (uint)m)].First(d => d.Decoration == Offset).Value) + SizeOf(t[2 + m])).DefaultIfEmpty(0).Max(),
                _ => throw new InvalidDataException($"{shader}: unexpected type (opcode {t[0] & 0xFFFF}) in a push-constant block"),
            };
        }
    }

    private static SpecializationType ScalarType(uint[] type) => (int)(type[0] & 0xFFFF) switch
    {
        OpTypeInt when type[2] == 32 => type[3] == 0 ? SpecializationType.UInt : SpecializationType.Int,
        OpTypeFloat when type[2] == 32 => SpecializationType.Float,
        _ => SpecializationType.Other,
    };

    private static void Add<TKey>(Dictionary<TKey, List<(uint, uint)>> map, TKey key, (uint, uint) value) where TKey : notnull
    {
        if (!map.TryGetValue(key, out var list)) map[key] = list = [];
        list.Add(value);
    }
}
