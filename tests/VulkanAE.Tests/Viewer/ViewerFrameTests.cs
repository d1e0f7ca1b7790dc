using VulkanAE.Data;
using VulkanAE.Core;
using VulkanAE.IO;
using VulkanAE.Models;
using VulkanAE.Plots;
using VulkanAE.Training;
using VulkanAE.Viewer;

namespace VulkanAE.Tests.Viewer;

/// <summary>
/// The whole frame of a small VAE (fc-vae, hidden 32, latent 2) against pictures made another way:
/// the latent panels against <see cref="AutoencoderInference"/>'s decode of the same latent points
/// drawn by the CPU reference, the controls against the grid's own codes.
/// </summary>
public class ViewerFrameTests : GpuTest
{
    private Autoencoder _model = null!;
    private DeviceDataset _test = null!;
    private AutoencoderInference _inference = null!;
    private ViewerFrame _frame = null!;

    [OneTimeSetUp]
    public void BuildModel()
    {
        // Rows fewer than the 225 grid cells, so the grid is decoded in chunks.
        _model = ModelCatalog.Create("fc-vae", new ModelOptions(Latent: 2, Hidden: [32])).Build(Gpu, maxRows: 100, seed: 3);
        _test = new DeviceDataset(Gpu, Mnist.LoadFromDataDirectory(Mnist.DigitsFolder, train: false).Take(257));
        _inference = new AutoencoderInference(Gpu, _model);
        _frame = new ViewerFrame(Gpu, _model, _test, FramePixelFormat.Bgra);
    }

    [OneTimeTearDown]
    public void DisposeModel()
    {
        _frame.Dispose();
        _inference.Dispose();
        _test.Dispose();
        _model.Dispose();
    }

    private uint[] RenderedPixels() => RenderedPixels(_frame);

    private static uint[] RenderedPixels(ViewerFrame frame)
    {
        frame.Render(new Dictionary<ViewerLayout.Line, string> { [ViewerLayout.Line.Status] = "test" }, epochs: 1, refreshModel: true);
        frame.WaitForFrame();
        var pixels = new uint[ViewerLayout.Width * ViewerLayout.Height];
        frame.Target.Pixels.Download<uint>(pixels);
        return pixels;
    }

    private static uint[] Crop(uint[] frame, PanelRect panel) => Enumerable.Range(0, panel.Height)
        .SelectMany(y => frame.AsSpan((panel.Top + y) * ViewerLayout.Width + panel.Left, panel.Width).ToArray()).ToArray();

    private uint[] ReferencePanel(float[] codes, ImageGridShape shape, PanelRect panel, int cells) => DrawnPanel(_inference.Decode(codes), shape, panel, cells);

    /// <summary>The panel the CPU reference draws of <paramref name="images"/>.</summary>
    private static uint[] DrawnPanel(float[] images, ImageGridShape shape, PanelRect panel, int cells)
    {
        var expected = new uint[ViewerLayout.Width * ViewerLayout.Height];
        ImagePanelReference.Draw(expected, ViewerLayout.Width, ViewerLayout.Height, FramePixelFormat.Bgra, images, shape,
            panel.Left, panel.Top, 0, cells, FramePixelFormat.Bgra.Pack(ViewerLayout.PanelBackground));
        return Crop(expected, panel);
    }

    [Test]
    public void TheGridAndTheHoveredPointAreTheDecoderAtThoseCodes()
    {
        _frame.Window.Reset();
        _frame.Window.Zoom(0.7, 3.2, 11.9);
        _frame.Window.Pan(-1.5, 2.25);
        _frame.Hover = (0.37f, -1.21f);
        var frame = RenderedPixels();

        var shape = ViewerLayout.Grid(1, 28, 28);
        var grid = ViewerLayout.GridPanel(28, 28);
        Assert.That(Crop(frame, grid), Is.EqualTo(ReferencePanel(_frame.Window.GridPoints(), shape, grid, _frame.Window.Size * _frame.Window.Size)));

        var hover = new PanelRect(ViewerLayout.HoverLeft, ViewerLayout.HoverTop, 140, 140);
        Assert.That(Crop(frame, hover), Is.EqualTo(ReferencePanel([0.37f, -1.21f], ViewerLayout.Hover(1, 28, 28), hover, 1)));
    }

    /// <summary>The latent window back at its default view, and the controls over the 28x28 grid panel.</summary>
    private (PanelRect Grid, ViewerControls Controls) ResetControls()
    {
        _frame.Window.Reset();
        var grid = ViewerLayout.GridPanel(28, 28);
        return (grid, new ViewerControls(_frame, grid));
    }

    [Test]
    public void TheMouseOverACellPicksThatCellsCode()
    {
        var (grid, controls) = ResetControls();
        _frame.Window.Zoom(0.5, 7.5, 7.5);
        var codes = _frame.Window.GridPoints();
        foreach (var (row, column) in new[] { (0, 0), (7, 7), (3, 12), (14, 14) })
        {
            controls.MouseMoved(grid.Left + column * 28 + 14, grid.Top + row * 28 + 14);
            int cell = row * _frame.Window.Size + column;
            Assert.That(_frame.Hover.X, Is.EqualTo(codes[2 * cell]).Within(1e-5f), $"cell ({row}, {column}) x");
            Assert.That(_frame.Hover.Y, Is.EqualTo(codes[2 * cell + 1]).Within(1e-5f), $"cell ({row}, {column}) y");
        }
    }

    [Test]
    public void DraggingMovesTheLatentPointUnderTheMouseWithIt()
    {
        var (grid, controls) = ResetControls();
        controls.MouseMoved(100, 300);
        var before = _frame.Hover;
        controls.MouseButton(pressed: true);
        controls.MouseMoved(160, 250);
        controls.MouseButton(pressed: false);
        Assert.That(_frame.Hover.X, Is.EqualTo(before.X).Within(1e-4f));
        Assert.That(_frame.Hover.Y, Is.EqualTo(before.Y).Within(1e-4f));
        controls.Character('r');
        Assert.That((_frame.Window.CenterX, _frame.Window.CenterY, _frame.Window.Range), Is.EqualTo((0f, 0f, RunPictures.LatentGridRange)));
    }

    [Test]
    public void TheWheelZoomsAboutTheMouse()
    {
        var (grid, controls) = ResetControls();
        controls.MouseMoved(80, 400);
        var under = _frame.Window.At((80.0 - grid.Left) / 28, (400.0 - grid.Top) / 28);
        controls.Scrolled(2);
        Assert.That(_frame.Window.Range, Is.EqualTo(RunPictures.LatentGridRange / 1.5625f).Within(1e-5f));
        var after = _frame.Window.At((80.0 - grid.Left) / 28, (400.0 - grid.Top) / 28);
        Assert.That(after.X, Is.EqualTo(under.X).Within(1e-5f));
        Assert.That(after.Y, Is.EqualTo(under.Y).Within(1e-5f));
    }

    [Test]
    public void KlWeightStepsByATenthAndStopsAtZero()
    {
        var controls = new ViewerControls(_frame, ViewerLayout.GridPanel(28, 28));
        controls.Character('+');
        controls.Character('+');
        Assert.That(controls.ApplyKlSteps(1f), Is.EqualTo(1.2f));
        for (int i = 0; i < 15; i++) controls.Character('-');
        Assert.That(controls.ApplyKlSteps(1.2f), Is.EqualTo(0f));
    }

    [Test]
    public void ReconstructionsShowTheTestImagesAndTheirDecodedMeans()
    {
        _frame.Window.Reset();
        var frame = RenderedPixels();
        var (expected, panel) = ReconstructionPanel(_inference.Decode(FirstMeans(_inference)));
        Assert.That(Crop(frame, panel), Is.EqualTo(expected));
    }

    /// <summary>Reconstructions shown: a row of test images above their reconstructions.</summary>
    private static int Shown => ViewerLayout.Reconstructions(1, 28, 28).Columns;

    /// <summary>The shown test images' latent means, as <paramref name="inference"/> encodes the dataset.</summary>
    private float[] FirstMeans(AutoencoderInference inference) => inference.Encode(_test).AsSpan(0, 2 * Shown).ToArray();

    /// <summary>The reconstructions panel as the CPU reference draws it, with the shown test images above <paramref name="decoded"/>, and where it is.</summary>
    private (uint[] Expected, PanelRect Panel) ReconstructionPanel(float[] decoded)
    {
        var shape = ViewerLayout.Reconstructions(1, 28, 28);
        var (width, height) = shape.Size(2 * Shown);
        var panel = new PanelRect(ViewerLayout.ReconstructionsLeft, ViewerLayout.ReconstructionsTop, width, height);
        var inputs = _test.Source.Pixels.Span.Slice(0, Shown * 784).ToArray().Select(b => b / 255f).ToArray();
        var expected = new uint[ViewerLayout.Width * ViewerLayout.Height];
        uint background = FramePixelFormat.Bgra.Pack(ViewerLayout.PanelBackground);
        ImagePanelReference.Draw(expected, ViewerLayout.Width, ViewerLayout.Height, FramePixelFormat.Bgra, inputs, shape, panel.Left, panel.Top, 0, Shown, background);
        ImagePanelReference.Draw(expected, ViewerLayout.Width, ViewerLayout.Height, FramePixelFormat.Bgra, decoded, shape, panel.Left, panel.Top, Shown, Shown,
            background);
        return (Crop(expected, panel), panel);
    }

    [Test]
    public void AConditionalModelsGridDecodesRowKAsClassKAndTheHoveredPointAsItsRow()
    {
        const int Classes = 10;
        using var model = ModelCatalog.Create("fc-vae", new ModelOptions(Latent: 2, Hidden: [32])).ConditionedOn(Classes).Build(Gpu, maxRows: 100, seed: 3);
        using var inference = new AutoencoderInference(Gpu, model);
        using var frame = new ViewerFrame(Gpu, model, _test, FramePixelFormat.Bgra);
        frame.Window.Zoom(0.7, 3.2, 11.9);
        frame.Hover = frame.Window.At(4.5, 12.5); // the middle of row 12's cell 4: class 2
        var rendered = RenderedPixels(frame);

        int size = frame.Window.Size;
        var rowClasses = Enumerable.Range(0, size * size).Select(cell => cell / size % Classes).ToArray();
        var shape = ViewerLayout.Grid(1, 28, 28);
        var grid = ViewerLayout.GridPanel(28, 28);
        Assert.That(Crop(rendered, grid), Is.EqualTo(DrawnPanel(inference.Decode(frame.Window.GridPoints(), rowClasses), shape, grid, size * size)),
            "rows 0-9 as classes 0-9, rows 10-14 as 0-4 again");
        var hover = new PanelRect(ViewerLayout.HoverLeft, ViewerLayout.HoverTop, 140, 140);
        Assert.That(Crop(rendered, hover), Is.EqualTo(DrawnPanel(inference.Decode([frame.Hover.X, frame.Hover.Y], [2]), ViewerLayout.Hover(1, 28, 28), hover, 1)));
        Assert.That(frame.PanelText(1)[ViewerLayout.Line.Hover], Does.EndWith(" as 2"));
        Assert.That(frame.PanelText(1)[ViewerLayout.Line.Grid], Does.StartWith("row k: class k mod 10; z0 "));

        // The test images' reconstructions from their means, each encoded and decoded with its own label.
        var (expected, panel) = ReconstructionPanel(inference.Decode(FirstMeans(inference), _test.Source.Labels!.AsSpan(0, Shown)));
        Assert.That(Crop(rendered, panel), Is.EqualTo(expected));
        Gpu.Instance.ThrowIfValidationFailed();
    }

    [Test]
    public void TheScatterHasAKeyToItsClassColours()
    {
        var frame = RenderedPixels();
        Assert.That(_frame.PanelText(1)[ViewerLayout.Line.ScatterKey], Is.EqualTo("scatter colours: classes"));
        var expected = new uint[ViewerLayout.Width * ViewerLayout.Height];
        var (width, height) = TextPanel.Size(ViewerLayout.ClassKeyLength, 1);
        for (int digit = 0; digit < 10; digit++)
        {
            var (left, top) = ViewerLayout.ClassKeyRow(digit);
            TextPanelReference.Draw(expected, ViewerLayout.Width, ViewerLayout.Height, $"{digit}", ViewerLayout.ClassKeyLength, left, top, 1,
                FramePixelFormat.Bgra.Pack(Palette.Tab10[digit]), FramePixelFormat.Bgra.Pack(ViewerLayout.Background));
            var row = new PanelRect(left, top, width, height);
            Assert.That(Crop(frame, row), Is.EqualTo(Crop(expected, row)), $"digit {digit} in the colour of its points");
        }
        var below = ViewerLayout.ClassKeyRow(10);
        Assert.That(below.Top + height, Is.LessThanOrEqualTo(ViewerLayout.Place(ViewerLayout.Line.Message).Top), "the key ends above the message line");
    }

    [Test]
    public void TheKeyNamesEveryClassOfAColour()
    {
        var names = Enumerable.Range(0, 12).Select(k => $"{(char)('a' + k)}").ToArray();
        var rows = ScatterPanel.KeyRows(names, paletteSize: 10, length: 24);
        Assert.That(rows, Has.Length.EqualTo(10));
        Assert.That((rows[0], rows[1], rows[2], rows[9]), Is.EqualTo(("a, k", "b, l", "c", "j")), "class k takes colour k % 10");
        Assert.That(ScatterPanel.KeyRows(["cats", "dogs"], 10, 24), Is.EqualTo(new[] { "cats", "dogs" }));
        Assert.That(ScatterPanel.KeyRows(["a name longer than the key's row"], 10, 12), Is.EqualTo(new[] { "a name lo..." }));
    }
}
