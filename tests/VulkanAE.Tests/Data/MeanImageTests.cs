using VulkanAE.Data;

namespace VulkanAE.Tests.Data;

public class MeanImageTests
{
    [Test]
    public void MeanOfTwoSets_RoundsEachPixelAndInterleavesTheChannels()
    {
        // Three 2x1 RGB images, CHW: two in one set, one in another.
        var first = new ImageDataset("a", 2, 3, 1, 2, new byte[] { 0, 6, 1, 2, 255, 0, 10, 4, 3, 0, 130, 0 }, null, 0);
        var second = new ImageDataset("b", 1, 3, 1, 2, new byte[] { 20, 6, 1, 3, 0, 0 }, null, 0);

        var mean = MeanImage.Of(first, second);

        Assert.That((mean.Width, mean.Height, mean.Channels), Is.EqualTo((2, 1, 3)));
        // pixel 0: R (0+10+20)/3=10, G (1+3+1)/3=1.67->2, B (255+130+0)/3=128.3->128; pixel 1: R (6+4+6)/3=5.3->5, G (2+0+3)/3=1.67->2, B 0
        Assert.That(mean.Pixels, Is.EqualTo(new byte[] { 10, 2, 128, 5, 2, 0 }));
    }

    [Test]
    public void NoImages_GiveBlack()
    {
        var empty = new ImageDataset("e", 0, 1, 2, 2, ReadOnlyMemory<byte>.Empty, null, 0);
        Assert.That(MeanImage.Of(empty).Pixels, Is.EqualTo(new byte[4]));
    }
}
