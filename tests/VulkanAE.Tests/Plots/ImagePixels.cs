using VulkanAE.IO;
using VulkanAE.Plots;

namespace VulkanAE.Tests.Plots;

/// <summary>Reading rendered RGB images back in tests.</summary>
internal static class ImagePixels
{
    public static Rgb At(RasterImage image, int x, int y)
    {
        int offset = (y * image.Width + x) * 3;
        return new Rgb(image.Pixels[offset], image.Pixels[offset + 1], image.Pixels[offset + 2]);
    }

    /// <summary>The (x, y) of every pixel of <paramref name="colour"/>, row by row.</summary>
    public static IEnumerable<(int X, int Y)> Find(RasterImage image, Rgb colour) =>
        from y in Enumerable.Range(0, image.Height)
        from x in Enumerable.Range(0, image.Width)
        where At(image, x, y) == colour
        select (x, y);

    /// <summary>
    /// Where <paramref name="text"/>, drawn on its own in the chart text style, appears pixel for pixel inside
    /// columns from <paramref name="minimumX"/> on; null if nowhere. Proves a label is there and legible.
    /// </summary>
    public static (int X, int Y)? FindText(RasterImage image, string text, int minimumX)
    {
        int width = BitmapFont.MeasureWidth(text, ChartStyle.TextScale);
        int height = BitmapFont.MeasureHeight(ChartStyle.TextScale);
        var stamp = new Canvas(width, height, ChartStyle.Background);
        stamp.DrawText(0, 0, text, ChartStyle.Text, ChartStyle.TextScale);
        RasterImage template = stamp.ToRasterImage();
        for (int top = 0; top + height <= image.Height; top++)
        {
            for (int left = minimumX; left + width <= image.Width; left++)
            {
                if (Matches(image, template, left, top))
                {
                    return (left, top);
                }
            }
        }

        return null;
    }

    private static bool Matches(RasterImage image, RasterImage template, int left, int top)
    {
        for (int y = 0; y < template.Height; y++)
        {
            ReadOnlySpan<byte> expected = template.Pixels.AsSpan(y * template.Width * 3, template.Width * 3);
            ReadOnlySpan<byte> actual = image.Pixels.AsSpan(((top + y) * image.Width + left) * 3, template.Width * 3);
            if (!expected.SequenceEqual(actual))
            {
                return false;
            }
        }

        return true;
    }
}
