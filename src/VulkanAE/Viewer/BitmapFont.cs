namespace VulkanAE.Viewer;

/// <summary>
/// The viewer's fixed 5x8 pixel font for printable ASCII: <see cref="TextPanel"/> uploads the glyph bits once and a
/// compute shader draws text at integer scales, so labels stay crisp without a font rasteriser on the GPU.
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
}
