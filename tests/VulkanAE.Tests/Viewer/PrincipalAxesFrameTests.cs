using VulkanAE.Core;
using VulkanAE.Data;
using VulkanAE.IO;
using VulkanAE.Models;
using VulkanAE.Training;
using VulkanAE.Viewer;

namespace VulkanAE.Tests.Viewer;

/// <summary>
/// The frame of a model whose latent is not a 2-D VAE's (fc-vae with a 20-D latent, fc-ae's 32-number
/// code): the axes it draws on are the principal axes of the test means (codes), computed apart by
/// <see cref="AutoencoderInference"/> and the CPU reference; its grid is the decoder at mean + a row0
/// + b row1 of those axes; its text says what is drawn; and the layout leaves room for 64 x 64 images.
/// </summary>
public class PrincipalAxesFrameTests : GpuTest
{
    private DeviceDataset _test = null!;

    [OneTimeSetUp]
    public void LoadTestSet() => _test = new DeviceDataset(Gpu, Mnist.LoadFromDataDirectory(Mnist.DigitsFolder, train: false).Take(257));

    [OneTimeTearDown]
    public void DisposeTestSet() => _test.Dispose();

    /// <summary>Frame pixels as bytes, for comparisons that allow the last bit of a code to round either way.</summary>
    private static byte[] Bytes(uint[] frame, PanelRect panel) => Enumerable.Range(0, panel.Height)
        .SelectMany(y => frame.AsSpan((panel.Top + y) * ViewerLayout.Width + panel.Left, panel.Width).ToArray())
        .SelectMany(BitConverter.GetBytes).ToArray();

    [TestCase("fc-vae", 20)]
    [TestCase("fc-ae", 32)]
    public void TheLatentViewsAreOnThePrincipalAxesOfTheTestCodes(string name, int latent)
    {
        using var model = ModelCatalog.Create(name, new ModelOptions(Latent: latent)).Build(Gpu, maxRows: 100, seed: 3);
        using var inference = new AutoencoderInference(Gpu, model);
        using var frame = new ViewerFrame(Gpu, model, _test, FramePixelFormat.Bgra);
        Assert.That((frame.HasLatentViews, frame.OnPrincipalAxes), Is.EqualTo((true, true)));
        frame.Window.Zoom(0.8, 2.3, 4.6);
        frame.Render(new Dictionary<ViewerLayout.Line, string>(), epochs: 1, refreshModel: true);
        frame.WaitForFrame();

        var codes = inference.Encode(_test);
        var axes = frame.Axes!.ToArray();
        AssertClose(axes, PrincipalAxesReference.Of(codes, _test.Count, latent, new float[PrincipalAxes.Rows * latent]), rtol: 2e-3f, atol: 2e-4f,
            what: $"{name} axes");

        var points = frame.Window.GridPoints();
        var gridCodes = new float[points.Length / 2 * latent];
        for (int i = 0; i < points.Length / 2; i++)
            for (int k = 0; k < latent; k++)
                gridCodes[i * latent + k] = axes[2 * latent + k] + points[2 * i] * axes[k] + points[2 * i + 1] * axes[latent + k];
        var grid = ViewerLayout.GridPanel(28, 28);
        var expected = new uint[ViewerLayout.Width * ViewerLayout.Height];
        ImagePanelReference.Draw(expected, ViewerLayout.Width, ViewerLayout.Height, FramePixelFormat.Bgra, inference.Decode(gridCodes),
            ViewerLayout.Grid(1, 28, 28), grid.Left, grid.Top, 0, points.Length / 2, FramePixelFormat.Bgra.Pack(ViewerLayout.PanelBackground));
        var actual = new uint[ViewerLayout.Width * ViewerLayout.Height];
        frame.Target.Pixels.Download<uint>(actual);
        var (got, want) = (Bytes(actual, grid), Bytes(expected, grid));
        int worst = Enumerable.Range(0, got.Length).Max(i => Math.Abs(got[i] - want[i]));
        Assert.That(worst, Is.LessThanOrEqualTo(1), "the grid is the decoder at mean + a row0 + b row1 (to a grey level)");

        var text = frame.PanelText(1);
        Assert.That(text[ViewerLayout.Line.Scatter], Does.Contain("on 2 principal axes"));
        Assert.That(text[ViewerLayout.Line.Grid], Does.StartWith($"grid: mean + a pc1 + b pc2, {latent}-D latent"));
        Assert.That(text[ViewerLayout.Line.Units], Does.Contain("pc1's sd"), "a and b both count spreads along pc1, as the axes' rows 0 and 1 are made");
        Assert.That(text[ViewerLayout.Line.Keys], Is.EqualTo(model.IsVariational ? ViewerFrame.KeysLine : ViewerFrame.AutoencoderKeysLine));
        foreach (var (line, value) in text)
            Assert.That(value.Length, Is.LessThanOrEqualTo(ViewerLayout.Place(line).Length), $"{line} fits its place: '{value}'");
    }

    [Test]
    public void ACodeTooWideForTheAxesSaysSoAndDrawsNoLatentViews()
    {
        using var model = ModelCatalog.Create("fc-ae", new ModelOptions(Latent: PrincipalAxes.MaxDimension + 1)).Build(Gpu, maxRows: 100, seed: 3);
        using var frame = new ViewerFrame(Gpu, model, _test, FramePixelFormat.Bgra);
        Assert.That(frame.HasLatentViews, Is.False);
        Assert.That(frame.PanelText(1)[ViewerLayout.Line.Grid], Is.EqualTo($"no latent views: a 65-number code (principal axes up to 64-D)"));
    }

    [TestCase(28, 28, 15)]
    [TestCase(64, 64, 7)]
    [TestCase(32, 32, 15)]
    public void TheGridFitsBesideTheHoverPanelWithCellsNearTheImageSize(int height, int width, int cells)
    {
        Assert.That(ViewerLayout.GridCells(height, width), Is.EqualTo(cells));
        var grid = ViewerLayout.GridPanel(height, width);
        var shape = ViewerLayout.Grid(3, height, width);
        Assert.That(grid.Left + grid.Width, Is.LessThan(ViewerLayout.HoverLeft), "left of the point under the mouse");
        Assert.That(grid.Top + grid.Height, Is.LessThanOrEqualTo(ViewerLayout.Height));
        Assert.That(shape.ShownHeight, Is.GreaterThanOrEqualTo(height * 7 / 8).And.LessThanOrEqualTo(ViewerLayout.GridPixels / cells));
    }
}
