using VulkanAE.Viewer;

namespace VulkanAE.Tests.Viewer;

/// <summary>Where the frame goes in a window of any size, and the mouse's way back into frame pixels.</summary>
public class FramePlacementTests
{
    [TestCase(960, 600, 0, 0, 960, 600)] // the frame's own size
    [TestCase(1001, 661, 20, 30, 960, 600)] // larger: 1:1 in the middle
    [TestCase(480, 300, 0, 0, 480, 300)] // half in both: half the size
    [TestCase(640, 500, 0, 50, 640, 400)] // narrower: the width fits, the height keeps the aspect
    [TestCase(1200, 450, 240, 0, 720, 450)] // wider but too short: the height fits
    [TestCase(959, 700, 0, 50, 959, 599)] // one pixel too narrow is shrunk, not cut
    [TestCase(3, 3, 0, 0, 3, 2)] // tiny: still a picture
    public void TheFrameFitsTheWindowKeepingItsAspect(int windowWidth, int windowHeight, int left, int top, int width, int height)
    {
        var placement = ViewerLayout.FramePlacement((windowWidth, windowHeight));
        Assert.That(placement, Is.EqualTo(new PanelRect(left, top, width, height)));
        Assert.That(placement.Left + placement.Width, Is.LessThanOrEqualTo(windowWidth));
        Assert.That(placement.Top + placement.Height, Is.LessThanOrEqualTo(windowHeight));
    }

    [TestCase(1001, 661)]
    [TestCase(640, 500)]
    [TestCase(1200, 450)]
    public void TheMouseFindsTheFramePixelUnderIt(int windowWidth, int windowHeight)
    {
        var placement = ViewerLayout.FramePlacement((windowWidth, windowHeight));
        Assert.That(ViewerLayout.ToFrame(placement, placement.Left, placement.Top), Is.EqualTo((0.0, 0.0)));
        var (x, y) = ViewerLayout.ToFrame(placement, placement.Left + placement.Width, placement.Top + placement.Height);
        Assert.That(x, Is.EqualTo(ViewerLayout.Width).Within(1e-9));
        Assert.That(y, Is.EqualTo(ViewerLayout.Height).Within(1e-9));
        var grid = ViewerLayout.GridPanel(28, 28);
        var (gx, gy) = ViewerLayout.ToFrame(placement, placement.Left + (grid.Left + 10.0) * placement.Width / ViewerLayout.Width,
            placement.Top + (grid.Top + 10.0) * placement.Height / ViewerLayout.Height);
        Assert.That(grid.Contains(gx, gy) && Math.Abs(gx - grid.Left - 10) < 1e-9 && Math.Abs(gy - grid.Top - 10) < 1e-9, $"({gx}, {gy})");
    }
}
