using VulkanAE.Core;

namespace VulkanAE.Kernels.Data;

/// <summary>The range pixels are scaled to: [0, 1] for sigmoid outputs, [-1, 1] for tanh outputs.</summary>
public enum PixelRange
{
    /// <summary>[0, 1].</summary>
    Unit,

    /// <summary>[-1, 1].</summary>
    Symmetric,
}

/// <summary>Mini-batch assembly on the GPU: shaders/data/gather_batch.comp.</summary>
internal static class BatchGather
{
    private readonly record struct Push(uint Rows, uint Cols, uint BatchStride, float Scale, float Offset);

    private static readonly KernelSignature<VectorConstants> Signature
        = KernelSignature.Of<Push, VectorConstants>("data/gather_batch", Access.Read, Access.Read, Access.Read, Access.Write);

    /// <summary>
    /// batch[r, :] = pixels[indices[state.batch * batchStride + r], :] mapped to <paramref name="range"/>, for r &lt; rows.
    /// <paramref name="pixels"/> holds the samples' bytes packed four to a uint (see <see cref="PackBytes"/>).
    /// </summary>
    public static void Gather(SequenceRecorder r, Tensor pixels, Tensor indices, Tensor state, Tensor batch, int rows, int cols, int batchStride,
        PixelRange range = PixelRange.Unit)
    {
        var (scale, offset) = ScaleAndOffset(range);
        Dispatch(r, pixels, indices, state, batch, rows, cols, batchStride, scale, offset);
    }

    /// <summary>
    /// labels[r] = the class byte of sample indices[state.batch * batchStride + r], as a float, for r &lt; rows:
    /// the batch's labels, gathered by the same indices as its images. <paramref name="labelBytes"/> holds a byte per sample (see <see cref="PackBytes"/>).
    /// </summary>
    public static void GatherLabels(SequenceRecorder r, Tensor labelBytes, Tensor indices, Tensor state, Tensor labels, int rows, int batchStride)
        => Dispatch(r, labelBytes, indices, state, labels, rows, cols: 1, batchStride, scale: 1, offset: 0);

    private static void Dispatch(SequenceRecorder r, Tensor pixels, Tensor indices, Tensor state, Tensor batch, int rows, int cols, int batchStride,
        float scale, float offset)
    {
        bool vector = LinearDispatch.Vectorizable(cols, batch);
        var kernel = r.Gpu.Kernel(Signature, new VectorConstants(LinearDispatch.WorkgroupSize, vector));
        r.Dispatch(kernel, LinearDispatch.Groups(r.Gpu, (long)rows * cols / (vector ? 4 : 1)), new Push((uint)rows, (uint)cols, (uint)batchStride, scale, offset),
            CommandWork.Moving((double)rows * cols * (1 + 4)), pixels, indices, state, batch); // a byte read, a float written per pixel
    }

    public static (float Scale, float Offset) ScaleAndOffset(PixelRange range)
        => range == PixelRange.Symmetric ? (2f / 255f, -1f) : (1f / 255f, 0f);

    /// <summary>Bytes packed little-endian four to a uint, the layout gather_batch.comp reads.</summary>
    public static uint[] PackBytes(ReadOnlySpan<byte> bytes)
    {
        var packed = new uint[(bytes.Length + 3) / 4];
        for (int i = 0; i < bytes.Length; i++) packed[i >> 2] |= (uint)bytes[i] << ((i & 3) * 8);
        return packed;
    }
}

/// <summary>CPU reference of <see cref="BatchGather"/>.</summary>
internal static class BatchGatherReference
{
    public static float[] Gather(ReadOnlySpan<byte> pixels, ReadOnlySpan<uint> indices, uint batchNumber, int rows, int cols, int batchStride,
        PixelRange range = PixelRange.Unit)
    {
        var (scale, offset) = BatchGather.ScaleAndOffset(range);
        var batch = new float[rows * cols];
        for (int r = 0; r < rows; r++)
        {
            long sample = indices[(int)(batchNumber * batchStride + r)];
            for (int c = 0; c < cols; c++) batch[r * cols + c] = pixels[(int)(sample * cols + c)] * scale + offset;
        }
        return batch;
    }
}
