using VulkanAE.Data;
using VulkanAE.Core;
using VulkanAE.IO;
using VulkanAE.Kernels.Optim;
using VulkanAE.Models;
using VulkanAE.Tests.Cli;
using VulkanAE.Training;
using VulkanAE.Viewer;

namespace VulkanAE.Tests.Viewer;

/// <summary>
/// The viewer in a real window on a virtual X display, validation on: what the screen shows is the
/// offscreen frame, pixel for pixel, and its latent grid is the decoder at the grid's codes.
/// Also `vae train --view` and `vae view --snapshot` end to end (a conditional VAE's too), with and without a display.
/// </summary>
[NonParallelizable] // sets the process's DISPLAY
public partial class LiveViewTests
{
    private XvfbDisplay _display = null!;

    /// <summary>GLFW reads the C environment, which Environment.SetEnvironmentVariable does not change on Unix.</summary>
    [System.Runtime.InteropServices.LibraryImport("libc", StringMarshalling = System.Runtime.InteropServices.StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);

    [System.Runtime.InteropServices.LibraryImport("libc", StringMarshalling = System.Runtime.InteropServices.StringMarshalling.Utf8)]
    private static partial int unsetenv(string name);

    [OneTimeSetUp]
    public void StartDisplay()
    {
        _display = XvfbDisplay.Start(1024, 700, out var reason) ?? throw new IgnoreException(reason);
        setenv("DISPLAY", _display.Name, 1);
    }

    [OneTimeTearDown]
    public void StopDisplay()
    {
        unsetenv("DISPLAY");
        _display?.Dispose();
    }

    private static RasterImage Crop(RasterImage image, int left, int top, int width, int height)
    {
        var pixels = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
            Array.Copy(image.Pixels, ((top + y) * image.Width + left) * 3, pixels, y * width * 3, width * 3);
        return new RasterImage(width, height, 3, pixels);
    }

    [Test]
    public void TheWindowShowsTheOffscreenFrameAndTheDecoderAtTheGridCodes()
    {
        using var window = ViewerWindow.TryOpen("VulkanAE test", out var reason) ?? throw new AssertionException(reason);
        using var gpu = new Gpu(new GpuOptions(Validation: true, Presentation: ViewerWindow.Presentation()));
        using var model = ModelCatalog.Create("fc-vae", new ModelOptions(Latent: 2, Hidden: [32])).Build(gpu, maxRows: 64, seed: 1);
        using var train = new DeviceDataset(gpu, Mnist.LoadFromDataDirectory(Mnist.DigitsFolder, train: true).Take(256));
        using var test = new DeviceDataset(gpu, Mnist.LoadFromDataDirectory(Mnist.DigitsFolder, train: false).Take(256));
        using var trainer = new Trainer(gpu, model, train, test, batchSize: 64, new AdamSettings(LearningRate: 3e-3f), seed: 1);
        using var inference = new AutoencoderInference(gpu, model);
        var directory = Directory.CreateTempSubdirectory("live-view").FullName;
        using var view = new LiveView(gpu, window, model, test, directory);

        // Training and drawing share the queue: a frame between every report.
        for (int epoch = 1; epoch <= 2; epoch++)
            trainer.TrainEpoch(epoch, p => view.Update(() => new Dictionary<ViewerLayout.Line, string> { [ViewerLayout.Line.Status] = $"step {p.Step}" }, 2) || true);
        view.Frame.Hover = (0.5f, -0.25f);
        var status = new Dictionary<ViewerLayout.Line, string> { [ViewerLayout.Line.Status] = "after two epochs" };
        view.Update(() => status, 2, force: true);
        gpu.WaitIdle();

        var offscreen = view.Frame.Snapshot();
        var (x, y) = window.Position;
        var onScreen = Crop(_display.Screenshot(), x, y, ViewerLayout.Width, ViewerLayout.Height);
        Assert.That(onScreen.Pixels, Is.EqualTo(offscreen.Pixels), "the window shows the frame as drawn");

        var grid = ViewerLayout.GridPanel(28, 28);
        var expected = new uint[ViewerLayout.Width * ViewerLayout.Height];
        ImagePanelReference.Draw(expected, ViewerLayout.Width, ViewerLayout.Height, FramePixelFormat.Rgba, inference.Decode(view.Frame.Window.GridPoints()),
            ViewerLayout.Grid(1, 28, 28), grid.Left, grid.Top, 0, view.Frame.Window.Size * view.Frame.Window.Size,
            FramePixelFormat.Rgba.Pack(ViewerLayout.PanelBackground));
        var decoded = FramePixelFormat.Rgba.ToImage(expected, ViewerLayout.Width, ViewerLayout.Height);
        Assert.That(Crop(onScreen, grid.Left, grid.Top, grid.Width, grid.Height).Pixels,
            Is.EqualTo(Crop(decoded, grid.Left, grid.Top, grid.Width, grid.Height).Pixels), "the latent grid on screen is the decoder at its codes");
        gpu.Instance.ThrowIfValidationFailed();
    }

    // Larger: the frame at 1:1 in the middle. Smaller (2/3 of its width): all of it, shrunk to 640 x 400, the height keeping the aspect.
    [TestCase(ViewerLayout.Width + 40, ViewerLayout.Height + 60, 20, 30, ViewerLayout.Width, ViewerLayout.Height)]
    [TestCase(640, 500, 0, 50, 640, 400)]
    public void AResizedWindowShowsAWideLatentsWholeFrameKeepingItsAspect(int width, int height, int left, int top, int shownWidth, int shownHeight)
    {
        using var window = ViewerWindow.TryOpen("VulkanAE test", out var reason) ?? throw new AssertionException(reason);
        using var gpu = new Gpu(new GpuOptions(Validation: true, Presentation: ViewerWindow.Presentation()));
        using var model = ModelCatalog.Create("fc-vae", new ModelOptions(Latent: 20, Hidden: [32])).Build(gpu, maxRows: 64, seed: 1);
        using var test = new DeviceDataset(gpu, Mnist.LoadFromDataDirectory(Mnist.DigitsFolder, train: false).Take(256));
        using var view = new LiveView(gpu, window, model, test, Directory.CreateTempSubdirectory("live-view").FullName);
        window.Resize(width, height);
        for (int i = 0; i < 100 && window.FramebufferSize != (width, height); i++)
        {
            ViewerWindow.PollEvents();
            Thread.Sleep(10);
        }
        Assert.That(window.FramebufferSize, Is.EqualTo((width, height)), "Xvfb (no window manager) resizes as asked");
        view.Update(() => new Dictionary<ViewerLayout.Line, string> { [ViewerLayout.Line.Status] = "resized" }, 1, force: true);
        gpu.WaitIdle();

        view.Frame.WaitForFrame();
        var frame = new uint[ViewerLayout.Width * ViewerLayout.Height];
        view.Frame.Target.Pixels.Download<uint>(frame);
        var shown = FrameScalerReference.Shrink(frame, ViewerLayout.Width, ViewerLayout.Height, shownWidth, shownHeight);
        var (x, y) = window.Position;
        var screen = Crop(_display.Screenshot(), x, y, width, height);
        Assert.That(Crop(screen, left, top, shownWidth, shownHeight).Pixels, Is.EqualTo(view.Frame.Target.Format.ToImage(shown, shownWidth, shownHeight).Pixels),
            "the frame, 1:1 or shrunk to fit");
        var inside = new PanelRect(left, top, shownWidth, shownHeight);
        var background = ViewerLayout.Background;
        Assert.That(Enumerable.Range(0, width * height).Where(i => !inside.Contains(i % width, i / width))
                .All(i => (screen.Pixels[3 * i], screen.Pixels[3 * i + 1], screen.Pixels[3 * i + 2]) == (background.R, background.G, background.B)),
            "the margins are the frame's background");
        gpu.Instance.ThrowIfValidationFailed();
    }

    [TestCase(false)]
    [TestCase(true, TestName = "TrainWithViewStopsCleanlyAndViewSnapshotsTheRun(conditional)")]
    public void TrainWithViewStopsCleanlyAndViewSnapshotsTheRun(bool conditional)
    {
        var directory = Directory.CreateTempSubdirectory("train-view").FullName;
        string[] condition = conditional ? ["--condition", "labels"] : [];
        var train = VaeProcess.Run(["train", "--model", "fc-vae", "--hidden", "32", "--latent", "2", "--limit", "256", "--batch", "64",
            "--epochs", "2", "--out", directory, "--view", "--vulkan-validation", .. condition], new Dictionary<string, string> { ["DISPLAY"] = _display.Name });
        Assert.That(train.ExitCode, Is.Zero, train.Output + train.Error);
        Assert.That(train.Output + train.Error, Does.Not.Contain("no display").And.Not.Contain("[vulkan warning]"));
        Assert.That(File.Exists(Path.Combine(directory, RunDirectory.WeightsFile)));

        var picture = Path.Combine(directory, "snapshot.png");
        var view = VaeProcess.Run(["view", directory, "--snapshot", picture, "--vulkan-validation"]);
        Assert.That(view.ExitCode, Is.Zero, view.Output + view.Error);
        var image = Png.Read(picture);
        Assert.That((image.Width, image.Height), Is.EqualTo((ViewerLayout.Width, ViewerLayout.Height)));
    }

    [Test]
    public void WithoutADisplayTrainingGoesOnAndViewSaysWhatToDo()
    {
        var directory = Directory.CreateTempSubdirectory("no-display").FullName;
        var noDisplay = new Dictionary<string, string> { ["DISPLAY"] = "", ["WAYLAND_DISPLAY"] = "" };
        var train = VaeProcess.Run(["train", "--model", "fc-vae", "--hidden", "32", "--latent", "2", "--limit", "256", "--batch", "64",
            "--epochs", "1", "--out", directory, "--view"], noDisplay);
        Assert.That(train.ExitCode, Is.Zero, train.Output + train.Error);
        Assert.That(train.Output, Does.Contain("no display found (DISPLAY is not set): training goes on without the window"));
        Assert.That(File.Exists(Path.Combine(directory, RunDirectory.WeightsFile)));

        var view = VaeProcess.Run(["view", directory], noDisplay);
        Assert.That(view.ExitCode, Is.Not.Zero);
        Assert.That(view.Output + view.Error, Does.Contain("no display found").And.Contain("--snapshot"));
    }
}
