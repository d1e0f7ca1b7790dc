using VulkanAE.Core;
using VulkanAE.IO;
using VulkanAE.Plots;

namespace VulkanAE.Viewer;

/// <summary>
/// Byte order of a frame pixel, the order of the surface it is copied to: B8G8R8A8 (X11 and most
/// desktop swapchains) or R8G8B8A8. Colours are packed here once; see shaders/include/frame.glsl.
/// </summary>
public enum FramePixelFormat
{
    /// <summary>B8G8R8A8: blue in the lowest byte.</summary>
    Bgra,

    /// <summary>R8G8B8A8: red in the lowest byte.</summary>
    Rgba,
}

internal static class FramePixelFormats
{
    /// <summary>Shift of the red byte in a packed pixel, the RED_SHIFT constant of the shaders.</summary>
    public static int RedShift(this FramePixelFormat format) => format == FramePixelFormat.Bgra ? 16 : 0;

    public static uint Pack(this FramePixelFormat format, Rgb colour)
    {
        int red = format.RedShift();
        return ((uint)colour.R << red) | ((uint)colour.G << 8) | ((uint)colour.B << (16 - red)) | 0xFF000000u;
    }

    public static Rgb Unpack(this FramePixelFormat format, uint pixel)
    {
        int red = format.RedShift();
        return new Rgb((byte)(pixel >> red), (byte)(pixel >> 8), (byte)(pixel >> (16 - red)));
    }

    /// <summary>An RGB picture of frame pixels (row-major, width x height).</summary>
    public static RasterImage ToImage(this FramePixelFormat format, ReadOnlySpan<uint> pixels, int width, int height)
    {
        var bytes = new byte[width * height * 3];
        for (int i = 0; i < width * height; i++)
        {
            var colour = format.Unpack(pixels[i]);
            (bytes[3 * i], bytes[3 * i + 1], bytes[3 * i + 2]) = (colour.R, colour.G, colour.B);
        }
        return new RasterImage(width, height, 3, bytes);
    }
}

/// <summary>A rectangle of frame pixels: x to the right and y down from the frame's top-left corner.</summary>
internal readonly record struct PanelRect(int Left, int Top, int Width, int Height)
{
    public bool Contains(double x, double y) => x >= Left && y >= Top && x < Left + Width && y < Top + Height;
}

/// <summary>The frame tensor the panels draw into, with its size and byte order.</summary>
internal sealed record FrameTarget(Tensor Pixels, int Width, int Height, FramePixelFormat Format)
{
    /// <summary>16 x 16 invocations per workgroup over a panel's pixels: a multiple of every subgroup width.</summary>
    public const uint TileSize = 16;

    public static (uint X, uint Y, uint Z) Groups(int width, int height)
        => ((uint)Math.Max(1, (width + TileSize - 1) / TileSize), (uint)Math.Max(1, (height + TileSize - 1) / TileSize), 1);
}

/// <summary>The CPU references' twin of frame.glsl's frame_index.</summary>
internal static class FrameReference
{
    /// <summary>The frame pixel of panel pixel (x, y) of a panel whose corner is at (left, top), or -1 when it falls outside the frame.</summary>
    public static int Index(int frameWidth, int frameHeight, int left, int top, int x, int y)
    {
        int fx = left + x, fy = top + y;
        return fx < 0 || fy < 0 || fx >= frameWidth || fy >= frameHeight ? -1 : fy * frameWidth + fx;
    }
}
