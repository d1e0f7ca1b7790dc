namespace VulkanAE.Plots;

/// <summary>
/// A fixed 5x8 pixel font for printable ASCII, drawn at integer scales so text stays crisp.
/// The raw glyph bits (<see cref="Glyph"/>) are public so a GPU viewer can upload the same table.
/// </summary>
internal static partial class BitmapFont
{
    public const char FirstCharacter = ' ';

    public const char LastCharacter = '~';

    /// <summary>Pixels per glyph row; bit <c>GlyphWidth - 1 - x</c> of a row byte is column x.</summary>
    public const int GlyphWidth = 5;

    /// <summary>Rows per glyph, the last one for descenders.</summary>
    public const int GlyphHeight = 8;

    /// <summary>Horizontal advance per character: the glyph plus one blank column.</summary>
    public const int CellWidth = GlyphWidth + 1;

    /// <summary>
    /// The <see cref="GlyphHeight"/> row bytes of <paramref name="character"/>; characters outside
    /// printable ASCII show as '?' so a stray Unicode character in a label stays visible instead of vanishing.
    /// </summary>
    public static ReadOnlySpan<byte> Glyph(char character)
    {
        char printable = character is >= FirstCharacter and <= LastCharacter ? character : '?';
        return Glyphs.Slice((printable - FirstCharacter) * GlyphHeight, GlyphHeight);
    }

    public static bool IsSet(ReadOnlySpan<byte> glyph, int x, int y) => (glyph[y] >> (GlyphWidth - 1 - x) & 1) != 0;

    /// <summary>Width in pixels of <paramref name="text"/> drawn at <paramref name="scale"/>, without the blank column after the last glyph.</summary>
    public static int MeasureWidth(string text, int scale) =>
        text.Length == 0 ? 0 : (text.Length * CellWidth - 1) * scale;

    public static int MeasureHeight(int scale) => GlyphHeight * scale;

    /// <summary>
    /// Rows from the top of a line of text to the middle of its capitals and digits (which use the upper
    /// <c>GlyphHeight - 1</c> rows): where a tick or a legend swatch beside the text lines up with it.
    /// </summary>
    public static int CapitalMiddle(int scale) => (GlyphHeight - 1) * scale / 2;
}
