using VulkanAE.Core;
using static VulkanAE.Core.SpecializationConstant;

namespace VulkanAE.Viewer;

/// <summary>
/// The shape of a grid of images in a panel: see shaders/viewer/draw_images.comp. Each image of
/// Height x Width is shown in ShownHeight x ShownWidth frame pixels (nearest neighbour).
/// </summary>
internal sealed record ImageGridShape(int Columns, int Channels, int Height, int Width, int ShownHeight, int ShownWidth, int Gap)
{
    /// <summary>Images shown as large as fits in a box of <paramref name="box"/> x <paramref name="box"/> pixels, keeping their aspect.</summary>
    public static ImageGridShape Fitted(int columns, int channels, int height, int width, int box, int gap)
    {
        double scale = Math.Min(box / (double)height, box / (double)width);
        return new(columns, channels, height, width, Math.Max(1, (int)(height * scale)), Math.Max(1, (int)(width * scale)), gap);
    }

    public int CellWidth => ShownWidth + Gap;
    public int CellHeight => ShownHeight + Gap;
    public int ImageSize => Channels * Height * Width;
    public (int Width, int Height) Size(int cells) => (Columns * CellWidth, (cells + Columns - 1) / Columns * CellHeight);
}

/// <summary>Draws tensors of images (inputs, reconstructions, decoded codes) into the frame: shaders/viewer/draw_images.comp.</summary>
internal static class ImagePanel
{
    private readonly record struct Push(int FrameWidth, int FrameHeight, int Left, int Top, uint Columns, uint FirstCell, uint Count,
        uint Channels, uint Height, uint Width, uint ShownHeight, uint ShownWidth, uint Gap, uint Background, float Low, float InverseRange);

    /// <summary>Tiles of the frame, and RED_SHIFT: where the red byte goes in the frame's pixel format.</summary>
    private readonly record struct DrawImagesConstants(uint TileWidth, uint TileHeight, uint RedShift) : ISpecializationConstants
    {
        public IReadOnlyList<SpecializationConstant> Constants => [Of(0, TileWidth), Of(1, TileHeight), Of(2, RedShift)];
    }

    private static readonly KernelSignature<DrawImagesConstants> Signature
        = KernelSignature.Of<Push, DrawImagesConstants>("viewer/draw_images", Access.Read, Access.Write);

    /// <summary>
    /// Images 0 .. count-1 of <paramref name="images"/> into cells first_cell .. first_cell + count - 1 of
    /// the grid whose top-left corner is (<paramref name="left"/>, <paramref name="top"/>); values from
    /// <paramref name="low"/> to <paramref name="high"/> map to black to white.
    /// </summary>
    public static void Draw(SequenceRecorder r, FrameTarget frame, Tensor images, ImageGridShape shape, int left, int top,
        int firstCell, int count, uint background, float low = 0f, float high = 1f)
    {
        var kernel = r.Gpu.Kernel(Signature, new DrawImagesConstants(FrameTarget.TileSize, FrameTarget.TileSize, (uint)frame.Format.RedShift()));
        var (width, height) = shape.Size(firstCell + count);
        r.Dispatch(kernel, FrameTarget.Groups(width, height),
            new Push(frame.Width, frame.Height, left, top, (uint)shape.Columns, (uint)firstCell, (uint)count, (uint)shape.Channels,
                (uint)shape.Height, (uint)shape.Width, (uint)shape.ShownHeight, (uint)shape.ShownWidth, (uint)shape.Gap, background, low, 1f / (high - low)),
            images, frame.Pixels);
    }
}

/// <summary>CPU reference of <see cref="ImagePanel"/>: the same pixels from the same floats.</summary>
internal static class ImagePanelReference
{
    public static void Draw(uint[] frame, int frameWidth, int frameHeight, FramePixelFormat format, ReadOnlySpan<float> images,
        ImageGridShape shape, int left, int top, int firstCell, int count, uint background, float low = 0f, float high = 1f)
    {
        float inverseRange = 1f / (high - low);
        int plane = shape.Height * shape.Width;
        for (int i = 0; i < count; i++)
        {
            int cell = firstCell + i;
            int cellLeft = left + cell % shape.Columns * shape.CellWidth, cellTop = top + cell / shape.Columns * shape.CellHeight;
            for (int y = 0; y < shape.CellHeight; y++)
                for (int x = 0; x < shape.CellWidth; x++)
                {
                    int target = FrameReference.Index(frameWidth, frameHeight, cellLeft, cellTop, x, y);
                    if (target < 0) continue;
                    uint pixel = background;
                    if (x < shape.ShownWidth && y < shape.ShownHeight)
                    {
                        int source = i * shape.ImageSize + y * shape.Height / shape.ShownHeight * shape.Width + x * shape.Width / shape.ShownWidth;
                        byte red = ToByte(images[source], low, inverseRange);
                        byte green = shape.Channels == 3 ? ToByte(images[source + plane], low, inverseRange) : red;
                        byte blue = shape.Channels == 3 ? ToByte(images[source + 2 * plane], low, inverseRange) : red;
                        pixel = format.Pack(new Plots.Rgb(red, green, blue));
                    }
                    frame[target] = pixel;
                }
        }
    }

    /// <summary>round-half-even(clamp((v - low) / range, 0, 1) * 255), with the division as the shader's multiply by the inverse.</summary>
    public static byte ToByte(float value, float low, float inverseRange)
        => (byte)MathF.Round(Math.Clamp((value - low) * inverseRange, 0f, 1f) * 255f, MidpointRounding.ToEven);
}
