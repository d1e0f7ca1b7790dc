using VulkanAE.Core;
using VulkanAE.Kernels.Training;
using VulkanAE.Models.Layers;

namespace VulkanAE.Kernels.Noise;

/// <summary>
/// CutPaste's made-up anomaly (shaders/noise/cut_paste.comp): each image of a batch with a patch of itself copied
/// elsewhere, drawn on the device for the current training step, as <see cref="NoiseKernels"/> draw their noise.
/// </summary>
internal static class CutPasteKernels
{
    private readonly record struct Push(uint Images, uint Channels, uint Height, uint Width, uint MinSide, uint MaxSide, uint Seed, uint Stream);

    private static readonly KernelSignature<WorkgroupConstants> Signature
        = KernelSignature.Of<Push, WorkgroupConstants>("noise/cut_paste", Access.ReadWrite, Access.Read);

    /// <summary>
    /// Rows images..2 images - 1 of batch [2 images, shape] = its rows 0..images - 1, each with a patch of sides from
    /// <paramref name="minSide"/> to <paramref name="maxSide"/> (capped at the image's) copied from one place to another.
    /// </summary>
    public static void AppendCutPasted(SequenceRecorder r, Tensor batch, Tensor trainingState, int images, TensorShape shape, int minSide, int maxSide,
        uint seed, uint stream)
    {
        if (images <= 0 || images > Math.Min(r.Gpu.Info.MaxWorkGroupCountX, 65535))
            throw new ArgumentOutOfRangeException(nameof(images), $"CutPaste: {images} images; one workgroup each, 1..65535");
        if (minSide < 1 || minSide > maxSide || minSide > Math.Min(shape.Height, shape.Width))
            throw new ArgumentOutOfRangeException(nameof(minSide), $"CutPaste: patch sides {minSide}..{maxSide} on {shape} images; the smallest must fit");
        long count = 2L * images * shape.Size;
        if (batch.Length < count) throw new ArgumentException($"CutPaste: {batch} has {batch.Length} elements, [2 x {images}, {shape}] needs {count}");
        if (trainingState.Length <= TrainingState.BatchIndex)
            throw new ArgumentException($"CutPaste: {trainingState} must hold the training state (optimizer step and batch), it has {trainingState.Length} elements");
        var kernel = r.Gpu.Kernel(Signature, new WorkgroupConstants(LinearDispatch.WorkgroupSize));
        r.Dispatch(kernel, ((uint)images, 1, 1),
            new Push((uint)images, (uint)shape.Channels, (uint)shape.Height, (uint)shape.Width, (uint)minSide, (uint)maxSide, seed, stream),
            CommandWork.MovingFloats(count), batch, trainingState);
    }
}

/// <summary>One image's patch: its sides, where it is cut from and where it is pasted.</summary>
internal readonly record struct PastedPatch(int Height, int Width, int SourceRow, int SourceColumn, int TargetRow, int TargetColumn);

/// <summary>CPU reference of <see cref="CutPasteKernels"/>: the same Philox words (<see cref="Philox"/>), so exact.</summary>
internal static class CutPasteReference
{
    /// <summary>Image <paramref name="image"/>'s patch at the given training state.</summary>
    public static PastedPatch Patch(int image, TensorShape shape, int minSide, int maxSide, uint seed, uint stream, uint optimizerStep, uint batch)
    {
        var a = Philox.Block(((uint)image, optimizerStep, batch, 0u), (seed, stream));
        var b = Philox.Block(((uint)image, optimizerStep, batch, 1u), (seed, stream));
        int height = (int)Between(a.X, minSide, Math.Min(maxSide, shape.Height));
        int width = (int)Between(a.Y, minSide, Math.Min(maxSide, shape.Width));
        uint rows = (uint)(shape.Height - height + 1), columns = (uint)(shape.Width - width + 1);
        return new PastedPatch(height, width, (int)(a.Z % rows), (int)(a.W % columns), (int)(b.X % rows), (int)(b.Y % columns));
    }

    /// <summary>The <paramref name="images"/> clean images followed by their pasted copies, [2 images, shape].</summary>
    public static float[] AppendCutPasted(ReadOnlySpan<float> clean, int images, TensorShape shape, int minSide, int maxSide, uint seed, uint stream,
        uint optimizerStep, uint batch)
    {
        var pasted = new float[2 * images * shape.Size];
        for (int copy = 0; copy < 2; copy++) clean[..(images * shape.Size)].CopyTo(pasted.AsSpan(copy * images * shape.Size));
        for (int n = 0; n < images; n++)
        {
            var p = Patch(n, shape, minSide, maxSide, seed, stream, optimizerStep, batch);
            for (int c = 0; c < shape.Channels; c++)
            for (int y = 0; y < p.Height; y++)
            for (int x = 0; x < p.Width; x++)
                pasted[Index(images + n, c, p.TargetRow + y, p.TargetColumn + x)] = clean[Index(n, c, p.SourceRow + y, p.SourceColumn + x)];
        }
        return pasted;

        int Index(int n, int c, int y, int x) => ((n * shape.Channels + c) * shape.Height + y) * shape.Width + x;
    }

    private static uint Between(uint bits, int low, int high) => (uint)low + bits % (uint)(high - low + 1);
}
