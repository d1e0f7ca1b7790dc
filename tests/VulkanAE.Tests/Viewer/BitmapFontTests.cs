using VulkanAE.Viewer;

namespace VulkanAE.Tests.Viewer;

/// <summary>The glyph table the viewer uploads; how the GPU draws it is tested against TextPanelReference in PanelKernelTests.</summary>
[TestFixture]
public class BitmapFontTests
{
    private static IEnumerable<(int X, int Y)> Ink(char character) =>
        from y in Enumerable.Range(0, BitmapFont.GlyphHeight)
        from x in Enumerable.Range(0, BitmapFont.GlyphWidth)
        where BitmapFont.IsSet(BitmapFont.Glyph(character), x, y)
        select (x, y);

    [Test]
    public void LetterL_IsALeftStemAndABaseline()
    {
        // An L: column 0 from the cap line (row 0) to the baseline (row 6), and row 6 across all five columns.
        var expected = Enumerable.Range(0, 7).Select(row => (0, row)).Concat(Enumerable.Range(1, 4).Select(column => (column, 6)));

        Assert.That(Ink('L'), Is.EquivalentTo(expected));
    }

    [Test]
    public void Space_DrawsNothing_AndEveryOtherPrintableCharacterSomething()
    {
        Assert.That(BitmapFont.Glyph(' ').ToArray(), Is.All.EqualTo(0));
        for (char c = '!'; c <= '~'; c++)
        {
            Assert.That(BitmapFont.Glyph(c).ToArray(), Has.Some.Not.EqualTo(0), $"'{c}'");
        }
    }

    [Test]
    public void Glyphs_AreAllDifferent_AndFitTheirWidth()
    {
        var glyphs = Enumerable.Range(BitmapFont.FirstCharacter, BitmapFont.LastCharacter - BitmapFont.FirstCharacter + 1)
            .Select(c => BitmapFont.Glyph((char)c).ToArray()).ToArray();

        Assert.That(glyphs.Select(Convert.ToHexString).Distinct().Count(), Is.EqualTo(95));
        Assert.That(glyphs.SelectMany(rows => rows), Is.All.LessThan(1 << BitmapFont.GlyphWidth));
        Assert.That(glyphs, Is.All.Length.EqualTo(BitmapFont.GlyphHeight));
    }

    [Test]
    public void Descenders_UseTheLastRow_Capitals_DoNot()
    {
        const int lastRow = BitmapFont.GlyphHeight - 1;
        Assert.That("gjpqy".Select(c => BitmapFont.Glyph(c)[lastRow]), Is.All.Not.EqualTo(0));
        Assert.That("ABCXYZ0123456789".Select(c => BitmapFont.Glyph(c)[lastRow]), Is.All.EqualTo(0));
    }

    [TestCase('é')]
    [TestCase('\n')]
    [TestCase('\u007f')]
    public void CharactersOutsidePrintableAscii_ShowAsQuestionMarks(char character)
    {
        Assert.That(BitmapFont.Glyph(character).ToArray(), Is.EqualTo(BitmapFont.Glyph('?').ToArray()));
    }
}
