using VulkanAE.IO;
using VulkanAE.Plots;

namespace VulkanAE.Tests.Plots;

[TestFixture]
public class BitmapFontTests
{
    private static IEnumerable<(int X, int Y)> Ink(RasterImage image) => ImagePixels.Find(image, Rgb.Black);

    private static RasterImage Draw(string text, int scale, int width = 40, int height = 40)
    {
        var canvas = new Canvas(width, height, Rgb.White);
        canvas.DrawText(3, 2, text, Rgb.Black, scale);
        return canvas.ToRasterImage();
    }

    [Test]
    public void LetterL_IsALeftStemAndABaseline()
    {
        // An L: column 0 from the cap line (row 0) to the baseline (row 6), and row 6 across all five columns.
        var expected = Enumerable.Range(0, 7).Select(row => (3, 2 + row))
            .Concat(Enumerable.Range(1, 4).Select(column => (3 + column, 2 + 6)));

        Assert.That(Ink(Draw("L", scale: 1)), Is.EquivalentTo(expected));
    }

    [Test]
    public void Scale_TurnsEachFontPixelIntoASquare()
    {
        HashSet<(int X, int Y)> single = Ink(Draw("L", scale: 1)).Select(p => (p.X - 3, p.Y - 2)).ToHashSet();
        var expected = from p in single from dy in new[] { 0, 1, 2 } from dx in new[] { 0, 1, 2 } select (3 + 3 * p.X + dx, 2 + 3 * p.Y + dy);

        Assert.That(Ink(Draw("L", scale: 3)), Is.EquivalentTo(expected));
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

    [TestCase("", 2, 0)]
    [TestCase("a", 1, 5)]
    [TestCase("ab", 1, 11)]
    [TestCase("ab", 3, 33)]
    public void MeasureWidth_IsSixPixelsPerCharacterLessTheTrailingGap(string text, int scale, int expected)
    {
        Assert.That(BitmapFont.MeasureWidth(text, scale), Is.EqualTo(expected));
    }

    [Test]
    public void MeasureWidth_IsTheInkExtent_OfTextEndingInAFullWidthGlyph()
    {
        // H touches its first and last columns, so the drawn pixels span exactly the measured width.
        var xs = Ink(Draw("HMH", scale: 2, width: 60)).Select(p => p.X).ToArray();

        Assert.That(xs.Max() - xs.Min() + 1, Is.EqualTo(BitmapFont.MeasureWidth("HMH", 2)));
    }
}
