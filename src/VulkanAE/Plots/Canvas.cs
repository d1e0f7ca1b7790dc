using VulkanAE.IO;

namespace VulkanAE.Plots;

/// <summary>
/// An RGB raster to draw charts on. Coordinates are pixels, x to the right and y down from the top-left corner;
/// everything drawn is clipped to the canvas, and nothing is anti-aliased, so the same calls give the same bytes.
/// </summary>
internal sealed partial class Canvas
{
    private const int Channels = 3;

    private readonly byte[] _pixels;

    public Canvas(int width, int height, Rgb background)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        Width = width;
        Height = height;
        _pixels = new byte[width * height * Channels];
        Clear(background);
    }

    public int Width { get; }

    public int Height { get; }

    public void Clear(Rgb colour) => FilledRectangle(0, 0, Width, Height, colour);

    public void SetPixel(int x, int y, Rgb colour)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
        {
            return;
        }

        int offset = (y * Width + x) * Channels;
        _pixels[offset] = colour.R;
        _pixels[offset + 1] = colour.G;
        _pixels[offset + 2] = colour.B;
    }

    public void FilledRectangle(int left, int top, int width, int height, Rgb colour)
    {
        int right = Math.Min(left + width, Width);
        int bottom = Math.Min(top + height, Height);
        for (int y = Math.Max(top, 0); y < bottom; y++)
        {
            for (int x = Math.Max(left, 0); x < right; x++)
            {
                SetPixel(x, y, colour);
            }
        }
    }

    /// <summary>A one-pixel outline whose outer edge is the rectangle (left, top, width, height).</summary>
    public void Rectangle(int left, int top, int width, int height, Rgb colour)
    {
        FilledRectangle(left, top, width, 1, colour);
        FilledRectangle(left, top + height - 1, width, 1, colour);
        FilledRectangle(left, top, 1, height, colour);
        FilledRectangle(left + width - 1, top, 1, height, colour);
    }

    /// <summary>
    /// A Bresenham line from (x0, y0) to (x1, y1), both ends included. A <paramref name="thickness"/> of 2 stamps a
    /// 2x2 square at each step, which keeps diagonal segments as heavy as straight ones.
    /// </summary>
    public void Line(int x0, int y0, int x1, int y1, Rgb colour, int thickness = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(thickness);
        int dx = Math.Abs(x1 - x0);
        int dy = -Math.Abs(y1 - y0);
        int stepX = x0 < x1 ? 1 : -1;
        int stepY = y0 < y1 ? 1 : -1;
        int error = dx + dy;
        while (true)
        {
            FilledRectangle(x0, y0, thickness, thickness, colour);
            if (x0 == x1 && y0 == y1)
            {
                return;
            }

            int doubled = 2 * error;
            if (doubled >= dy)
            {
                error += dy;
                x0 += stepX;
            }

            if (doubled <= dx)
            {
                error += dx;
                y0 += stepY;
            }
        }
    }

    /// <summary>
    /// A filled disc centred on a pixel. The test <c>dx² + dy² ≤ r(r + 1)</c> (rather than r²) rounds the
    /// outline the way a disc of radius r + ½ around the pixel centre would, so radius 1 is a 3x3 square
    /// and radius 2 a 5x5 square without its corners.
    /// </summary>
    public void Disc(int centerX, int centerY, int radius, Rgb colour)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(radius);
        for (int dy = -radius; dy <= radius; dy++)
        {
            for (int dx = -radius; dx <= radius; dx++)
            {
                if (dx * dx + dy * dy <= radius * (radius + 1))
                {
                    SetPixel(centerX + dx, centerY + dy, colour);
                }
            }
        }
    }

    /// <summary>Copies a gray or RGB image with its top-left corner at (left, top).</summary>
    public void Blit(RasterImage image, int left, int top)
    {
        if (image.Channels is not (1 or 3))
        {
            throw new ArgumentException($"a canvas has no alpha: blit takes gray (1) or RGB (3) images, not {image.Channels} channels", nameof(image));
        }

        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                int source = (y * image.Width + x) * image.Channels;
                Rgb colour = image.Channels == 1
                    ? Rgb.Gray(image.Pixels[source])
                    : new Rgb(image.Pixels[source], image.Pixels[source + 1], image.Pixels[source + 2]);
                SetPixel(left + x, top + y, colour);
            }
        }
    }

    /// <summary>A copy of the pixels: later drawing does not change the returned image.</summary>
    public RasterImage ToRasterImage() => new(Width, Height, Channels, (byte[])_pixels.Clone());
}
