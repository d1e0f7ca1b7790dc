using VulkanAE.Core;

namespace VulkanAE.Viewer;

/// <summary>
/// The frame shrunk to fit a window smaller than it (shaders/viewer/scale_frame.comp): each pixel
/// the mean of the frame pixels its box covers, channel by channel.
/// </summary>
internal static class FrameScaler
{
    private readonly record struct Push(uint FrameWidth, uint FrameHeight, uint Width, uint Height);

    private static readonly KernelSignature<Workgroup2DConstants> Signature
        = KernelSignature.Of<Push, Workgroup2DConstants>("viewer/scale_frame", Access.Read, Access.Write);

    /// <summary>Writes <paramref name="frame"/> shrunk to <paramref name="width"/> x <paramref name="height"/> pixels into <paramref name="scaled"/>.</summary>
    public static void Shrink(SequenceRecorder r, FrameTarget frame, Tensor scaled, int width, int height)
    {
        if (width < 1 || height < 1 || width > frame.Width || height > frame.Height)
            throw new ArgumentOutOfRangeException(nameof(width), $"the frame shrinks to 1..{frame.Width} x 1..{frame.Height} pixels, not {width} x {height}");
        if (scaled.Length < (long)width * height) throw new ArgumentException($"{scaled} is shorter than {width} x {height} pixels");
        var kernel = r.Gpu.Kernel(Signature, new Workgroup2DConstants(FrameTarget.TileSize, FrameTarget.TileSize));
        r.Dispatch(kernel, FrameTarget.Groups(width, height), new Push((uint)frame.Width, (uint)frame.Height, (uint)width, (uint)height),
            frame.Pixels, scaled);
    }
}

/// <summary>CPU reference of <see cref="FrameScaler"/>.</summary>
internal static class FrameScalerReference
{
    public static uint[] Shrink(ReadOnlySpan<uint> frame, int frameWidth, int frameHeight, int width, int height)
    {
        var scaled = new uint[width * height];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int x0 = x * frameWidth / width, x1 = Math.Max(x0 + 1, (x + 1) * frameWidth / width);
                int y0 = y * frameHeight / height, y1 = Math.Max(y0 + 1, (y + 1) * frameHeight / height);
                uint count = (uint)((x1 - x0) * (y1 - y0)), pixel = 0;
                for (int shift = 0; shift < 32; shift += 8)
                {
                    uint sum = 0;
                    for (int fy = y0; fy < y1; fy++)
                        for (int fx = x0; fx < x1; fx++)
                            sum += (frame[fy * frameWidth + fx] >> shift) & 0xFF;
                    pixel |= (sum + count / 2) / count << shift;
                }
                scaled[y * width + x] = pixel;
            }
        return scaled;
    }
}
