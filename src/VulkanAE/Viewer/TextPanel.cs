using VulkanAE.Core;

namespace VulkanAE.Viewer;

/// <summary>
/// Lines of text drawn on the GPU with <see cref="BitmapFont"/>: shaders/viewer/draw_text.comp.
/// The glyph table is uploaded once; the host writes character codes into a text tensor.
/// </summary>
internal static class TextPanel
{
    private readonly record struct Push(int FrameWidth, int FrameHeight, int Left, int Top, uint First, uint Length, uint Scale,
        uint Foreground, uint Background);

    private static readonly KernelSignature<Workgroup2DConstants> Signature
        = KernelSignature.Of<Push, Workgroup2DConstants>("viewer/draw_text", Access.Read, Access.Read, Access.Write);

    /// <summary>The font's row bytes, one per uint, for characters ' ' to '~': the layout draw_text.comp reads.</summary>
    public static uint[] GlyphTable()
    {
        var table = new List<uint>();
        for (char c = BitmapFont.FirstCharacter; c <= BitmapFont.LastCharacter; c++)
            foreach (var row in BitmapFont.Glyph(c)) table.Add(row);
        return table.ToArray();
    }

    /// <summary>Character codes of <paramref name="text"/>, padded with spaces or cut to <paramref name="length"/>.</summary>
    public static uint[] Encode(string text, int length)
    {
        var codes = new uint[length];
        for (int i = 0; i < length; i++) codes[i] = i < text.Length ? text[i] : ' ';
        return codes;
    }

    public static (int Width, int Height) Size(int length, int scale) => (length * BitmapFont.CellWidth * scale, BitmapFont.GlyphHeight * scale);

    /// <summary>Characters first .. first + length - 1 of <paramref name="text"/> with their top-left corner at (left, top).</summary>
    public static void Draw(SequenceRecorder r, FrameTarget frame, Tensor glyphs, Tensor text, int first, int length, int left, int top,
        int scale, uint foreground, uint background)
    {
        var kernel = r.Gpu.Kernel(Signature, new Workgroup2DConstants(FrameTarget.TileSize, FrameTarget.TileSize));
        var (width, height) = Size(length, scale);
        r.Dispatch(kernel, FrameTarget.Groups(width, height),
            new Push(frame.Width, frame.Height, left, top, (uint)first, (uint)length, (uint)scale, foreground, background),
            glyphs, text, frame.Pixels);
    }
}

/// <summary>CPU reference of <see cref="TextPanel"/>, built on <see cref="BitmapFont"/> itself rather than the uploaded table.</summary>
internal static class TextPanelReference
{
    public static void Draw(uint[] frame, int frameWidth, int frameHeight, string text, int length, int left, int top, int scale,
        uint foreground, uint background)
    {
        var (width, height) = TextPanel.Size(length, scale);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int target = FrameReference.Index(frameWidth, frameHeight, left, top, x, y);
                if (target < 0) continue;
                int index = x / (BitmapFont.CellWidth * scale);
                char character = index < text.Length ? text[index] : ' ';
                int column = x / scale % BitmapFont.CellWidth;
                bool set = column < BitmapFont.GlyphWidth && BitmapFont.IsSet(BitmapFont.Glyph(character), column, y / scale);
                frame[target] = set ? foreground : background;
            }
    }
}
