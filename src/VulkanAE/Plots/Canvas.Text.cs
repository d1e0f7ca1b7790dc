namespace VulkanAE.Plots;

internal sealed partial class Canvas
{
    /// <summary>
    /// Draws <paramref name="text"/> left to right in <see cref="BitmapFont"/>, each font pixel a
    /// <paramref name="scale"/> x <paramref name="scale"/> square, the top-left of the first glyph at (left, top).
    /// </summary>
    public void DrawText(int left, int top, string text, Rgb colour, int scale = 1) =>
        ForEachTextPixel(text, scale, (x, y) => FilledRectangle(left + x, top + y, scale, scale, colour));

    /// <summary>
    /// Draws <paramref name="text"/> turned 90° counter-clockwise, reading bottom to top like a y-axis label.
    /// It fills a box <see cref="BitmapFont.MeasureHeight"/> wide and <see cref="BitmapFont.MeasureWidth"/> tall
    /// whose top-left corner is (left, top).
    /// </summary>
    public void DrawTextVertical(int left, int top, string text, Rgb colour, int scale = 1)
    {
        int length = BitmapFont.MeasureWidth(text, scale);
        // Turning counter-clockwise sends the text's x (along the line) up the canvas and its y (down the glyph) right.
        ForEachTextPixel(text, scale, (x, y) => FilledRectangle(left + y, top + length - scale - x, scale, scale, colour));
    }

    /// <summary>Calls <paramref name="plot"/> with the offset of every set font pixel, in horizontal text coordinates.</summary>
    private static void ForEachTextPixel(string text, int scale, Action<int, int> plot)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        for (int index = 0; index < text.Length; index++)
        {
            ReadOnlySpan<byte> glyph = BitmapFont.Glyph(text[index]);
            int glyphLeft = index * BitmapFont.CellWidth * scale;
            for (int row = 0; row < BitmapFont.GlyphHeight; row++)
            {
                for (int column = 0; column < BitmapFont.GlyphWidth; column++)
                {
                    if (BitmapFont.IsSet(glyph, column, row))
                    {
                        plot(glyphLeft + column * scale, row * scale);
                    }
                }
            }
        }
    }
}
