using VulkanAE.IO;

namespace VulkanAE.Tests.IO;

[TestFixture]
public class StbMemoryStreamTests
{
    private static StbMemoryStream TenBytes() => new(Enumerable.Range(1, 10).Select(i => (byte)i).ToArray());

    [Test]
    public void Read_AllThatIsAsked_AdvancesByIt()
    {
        using var stream = TenBytes();
        var buffer = new byte[4];

        Assert.That(stream.Read(buffer, 0, 4), Is.EqualTo(4));
        Assert.That((buffer, stream.Position), Is.EqualTo((new byte[] { 1, 2, 3, 4 }, 4L)));
    }

    [Test]
    public void Read_MoreThanIsLeft_ReadsNothing()
    {
        using var stream = TenBytes();
        stream.Position = 7;
        var buffer = new byte[4];

        Assert.That(stream.Read(buffer, 0, 4), Is.Zero);
        Assert.That((buffer, stream.Position), Is.EqualTo((new byte[4], 7L)));
    }

    [TestCase(3, 5L)]
    [TestCase(8, 10L)]
    [TestCase(9, 10L)]
    [TestCase(-1, 10L)]
    [TestCase(-2000, 10L)]
    public void Seek_FromTheCurrentPosition_StopsAtTheEnd_NegativeGoesToIt(long offset, long expected)
    {
        using var stream = TenBytes();
        stream.Position = 2;

        Assert.That(stream.Seek(offset, SeekOrigin.Current), Is.EqualTo(expected));
        Assert.That(stream.Position, Is.EqualTo(expected));
    }

    [Test]
    public void Seek_ToTheBeginning_Rewinds()
    {
        using var stream = TenBytes();
        stream.Position = 6;

        Assert.That(stream.Seek(0, SeekOrigin.Begin), Is.Zero);
        Assert.That(stream.ReadByte(), Is.EqualTo(1));
    }
}
