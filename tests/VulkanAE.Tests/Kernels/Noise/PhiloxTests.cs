using VulkanAE.Kernels.Noise;

namespace VulkanAE.Tests.Kernels.Noise;

public class PhiloxTests
{
    /// <summary>Known-answer vectors of Philox4x32-10 from the Random123 distribution (kat_vectors).</summary>
    [TestCase(0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u,
        0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u)]
    [TestCase(0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu,
        0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu)]
    [TestCase(0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u, 0xa4093822u, 0x299f31d0u,
        0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u)]
    public void BlockMatchesRandom123KnownAnswers(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1, uint e0, uint e1, uint e2, uint e3)
    {
        var block = Philox.Block((c0, c1, c2, c3), (k0, k1));
        Assert.That(block, Is.EqualTo((e0, e1, e2, e3)), $"got {block.X:x8} {block.Y:x8} {block.Z:x8} {block.W:x8}");
    }

    [Test]
    public void UniformStaysInsideTheOpenInterval()
    {
        Assert.That(Philox.UniformOpen01(0u), Is.EqualTo(1.0 / (1 << 24)));
        Assert.That(Philox.UniformOpen01(0xffffffffu), Is.EqualTo(1.0 - 1.0 / (1 << 24)));
        Assert.That(Philox.UniformOpen01(0x80000000u), Is.EqualTo(0.5 + 1.0 / (1 << 24)));
    }

    [Test]
    public void BoxMullerNearZeroAngleGivesTheRadius()
    {
        // u2 = 0.5 + 2^-24 gives theta = pi 2^-23, so the cosine normal is the radius and the sine normal is tiny.
        var (cos, sin) = Philox.BoxMuller(0x80000000u, 0x80000000u);
        double radius = Math.Sqrt(-2 * Math.Log(0.5 + 1.0 / (1 << 24)));
        Assert.That(cos, Is.EqualTo(radius).Within(1e-12));
        Assert.That(sin, Is.EqualTo(radius * Math.PI / (1 << 23)).Within(1e-12));
    }
}
