using System.Runtime.InteropServices;
using Buffer = Silk.NET.Vulkan.Buffer;

namespace VulkanAE.Core;

/// <summary>
/// Collects the commands of a <see cref="Sequence"/>: dispatches, copies and fills, each with the
/// tensors it reads and writes. Recording is plain C#; the sequence turns the list into a Vulkan
/// command buffer with a barrier exactly where a command touches a tensor that an earlier
/// command wrote (or writes one an earlier command read) since the last barrier; views of one
/// buffer count as the same tensor only where their ranges overlap.
/// </summary>
internal sealed class SequenceRecorder(Gpu gpu)
{
    internal abstract record Command(string Label, IReadOnlyList<Tensor> Reads, IReadOnlyList<Tensor> Writes)
    {
        /// <summary>What the command must do at least, for a profile's GFLOP/s and GB/s; zero when not stated.</summary>
        public CommandWork Work { get; init; }
    }

    internal sealed record DispatchCommand(Kernel Kernel, uint GroupsX, uint GroupsY, uint GroupsZ, byte[] PushConstants, Tensor[] Buffers)
        : Command(Kernel.Name,
            Buffers.Where((_, i) => Kernel.Signature.Bindings[i].Reads()).ToArray(),
            Buffers.Where((_, i) => Kernel.Signature.Bindings[i].Writes()).ToArray());

    internal sealed record CopyCommand(Buffer Source, ulong SourceOffset, Buffer Destination, ulong DestinationOffset, ulong Size,
        IReadOnlyList<Tensor> Reads, IReadOnlyList<Tensor> Writes) : Command("copy", Reads, Writes);

    internal sealed record FillCommand(Tensor Tensor, uint Value) : Command("fill", [], [Tensor]);

    internal List<Command> Commands { get; } = [];

    public Gpu Gpu => gpu;

    public void Dispatch<TPush>(Kernel kernel, (uint X, uint Y, uint Z) groups, TPush push, params Tensor[] buffers) where TPush : unmanaged
        => Dispatch(kernel, groups, push, default, buffers);

    /// <summary>A dispatch whose floating-point operations and bytes moved are stated, so profiles can give its rate.</summary>
    public void Dispatch<TPush>(Kernel kernel, (uint X, uint Y, uint Z) groups, TPush push, CommandWork work, params Tensor[] buffers) where TPush : unmanaged
    {
        var bytes = MemoryMarshal.AsBytes(new ReadOnlySpan<TPush>(ref push)).ToArray();
        if (bytes.Length != kernel.Signature.PushConstantBytes)
            throw new ArgumentException($"{kernel.Name}: push constants are {bytes.Length} bytes, the kernel declares {kernel.Signature.PushConstantBytes}");
        if (buffers.Length != kernel.Signature.Bindings.Length)
            throw new ArgumentException($"{kernel.Name}: {buffers.Length} buffers bound, the kernel declares {kernel.Signature.Bindings.Length}");
        for (int i = 0; i < buffers.Length; i++)
            if (kernel.Signature.Bindings[i] == Access.ReadTexels && buffers[i].TexelViewProblem() is { } problem)
                throw new ArgumentException($"{kernel.Name}: binding {i} reads {buffers[i]} as texels, but {problem}");
        uint limit = gpu.Info.MaxWorkGroupCountX;
        if (groups.X == 0 || groups.Y == 0 || groups.Z == 0 || groups.X > limit || groups.Y > 65535 || groups.Z > 65535)
            throw new ArgumentException($"{kernel.Name}: dispatch of {groups} workgroups is outside the device limits");
        Commands.Add(new DispatchCommand(kernel, groups.X, groups.Y, groups.Z, bytes, buffers) { Work = work });
    }

    public void Copy(Tensor source, Tensor destination)
    {
        if (destination.SizeBytes < source.SizeBytes)
            throw new ArgumentException($"copy {source} -> {destination}: destination is smaller than source");
        Commands.Add(new CopyCommand(source.Buffer, source.OffsetBytes, destination.Buffer, destination.OffsetBytes, source.SizeBytes, [source], [destination])
            { Work = CommandWork.Moving(2.0 * source.SizeBytes) });
    }

    /// <summary>All of <paramref name="source"/> into <paramref name="destination"/> from element <paramref name="destinationElement"/> on (copies need no view's alignment).</summary>
    public void Copy(Tensor source, Tensor destination, long destinationElement)
    {
        if (destinationElement < 0 || destinationElement + source.Length > destination.Length)
            throw new ArgumentException($"copy {source} -> {destination} at element {destinationElement}: past the destination's end");
        Commands.Add(new CopyCommand(source.Buffer, source.OffsetBytes, destination.Buffer, destination.OffsetBytes + (ulong)destinationElement * 4, source.SizeBytes,
            [source], [destination]) { Work = CommandWork.Moving(2.0 * source.SizeBytes) });
    }

    internal void CopyBuffer(Tensor source, ulong sourceOffset, Buffer destination, ulong destinationOffset, ulong size)
        => Commands.Add(new CopyCommand(source.Buffer, source.OffsetBytes + sourceOffset, destination, destinationOffset, size, [source], []));

    internal void CopyBuffer(Buffer source, ulong sourceOffset, Tensor destination, ulong destinationOffset, ulong size)
        => Commands.Add(new CopyCommand(source, sourceOffset, destination.Buffer, destination.OffsetBytes + destinationOffset, size, [], [destination]));

    /// <summary>Sets every element of the tensor to the given bit pattern (0 is 0.0f and 0u).</summary>
    public void Fill(Tensor tensor, uint bits = 0) => Commands.Add(new FillCommand(tensor, bits) { Work = CommandWork.Moving(tensor.SizeBytes) });

    public void Fill(Tensor tensor, float value) => Fill(tensor, BitConverter.SingleToUInt32Bits(value));
}

/// <summary>
/// The least work a command must do: floating-point operations (an FMA is 2) and bytes read plus
/// written, each input read and each output written once. A profile divides them by the command's
/// time to give GFLOP/s and GB/s, and compares those with the device's ceilings. Shape, when
/// given, tells the dispatches of one kernel apart in a profile (a matmul's M x N x K).
/// </summary>
internal readonly record struct CommandWork(double Flops, double Bytes, string Shape = "")
{
    public static CommandWork Moving(double bytes) => new(0, bytes);

    /// <summary>Bytes of <paramref name="floats"/> 32-bit values.</summary>
    public static CommandWork MovingFloats(double floats) => new(0, 4 * floats);
}
