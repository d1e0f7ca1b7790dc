using System.Diagnostics;
using Silk.NET.Vulkan;
using VulkanAE.Core;
using VulkanAE.IO;
using VulkanAE.Models;
using VulkanAE.Training;

namespace VulkanAE.Viewer;

/// <summary>
/// The viewer in a window: the frame (<see cref="ViewerFrame"/>) drawn on the device's queue and
/// copied into the window's swapchain, the window's input applied, frames paced. The caller calls
/// <see cref="Update"/> often (between training chunks, or in its own loop); it draws when a frame is due.
/// </summary>
internal sealed unsafe class LiveView : IDisposable
{
    /// <summary>At most this many frames per second: the display's job is to keep up with training, not to race it.</summary>
    private static readonly TimeSpan FrameInterval = TimeSpan.FromSeconds(1.0 / 60);

    /// <summary>
    /// How often the model panels are redrawn while training: twice a second, so they follow the model
    /// closely; where a step (the caller's update interval) takes longer, at every step.
    /// </summary>
    public static readonly TimeSpan ModelRefreshInterval = TimeSpan.FromSeconds(0.5);

    private readonly Gpu _gpu;
    private readonly ViewerWindow _window;
    private readonly WindowSystemFunctions _wsi;
    private readonly SurfaceKHR _surface;
    private readonly Swapchain _swapchain;
    private readonly string _saveDirectory;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan? _lastFrame;
    private TimeSpan? _lastModelRefresh;
    private readonly Queue<TimeSpan> _frameTimes = new();
    private string _message = "";

    public LiveView(Gpu gpu, ViewerWindow window, Autoencoder model, DeviceDataset test, string saveDirectory)
    {
        _gpu = gpu;
        _window = window;
        _saveDirectory = saveDirectory;
        _wsi = new WindowSystemFunctions(gpu);
        _surface = window.CreateSurface(gpu.Instance);
        try
        {
            Frame = new ViewerFrame(gpu, model, test, Swapchain.ChooseFormat(gpu, _wsi, _surface));
            _swapchain = new Swapchain(gpu, _wsi, _surface, Frame.Target);
        }
        catch
        {
            Frame?.Dispose();
            _wsi.DestroySurface(gpu.Instance.Handle, _surface, null);
            throw;
        }
        Controls = new ViewerControls(Frame, ViewerLayout.GridPanel(test.Source.Height, test.Source.Width));
        window.Controls = Controls;
    }

    public ViewerFrame Frame { get; }
    public ViewerControls Controls { get; }

    /// <summary>Frames drawn since the view opened.</summary>
    public int FramesDrawn { get; private set; }

    /// <summary>Frames per second since the view opened.</summary>
    public double AverageFramesPerSecond => FramesDrawn / _clock.Elapsed.TotalSeconds;

    /// <summary>Frames per second over the last second.</summary>
    public double FramesPerSecond => _frameTimes.Count < 2 ? 0 : (_frameTimes.Count - 1) / (_frameTimes.Last() - _frameTimes.Peek()).TotalSeconds;

    public bool StopRequested => Controls.StopRequested || _window.ShouldClose;

    /// <summary>
    /// Handles the window's events, saves a picture on request, and draws and presents a frame when
    /// one is due; <paramref name="force"/> draws one now, model panels included. <paramref name="text"/> gives the caller's lines
    /// (status), asked for only when a frame is drawn. Returns whether one was.
    /// </summary>
    public bool Update(Func<IReadOnlyDictionary<ViewerLayout.Line, string>> text, double epochs, bool force = false)
    {
        ViewerWindow.PollEvents();
        if (Controls.TakeSaveRequest()) Save();
        var now = _clock.Elapsed;
        if (!force && !Controls.Changed && !Due(_lastFrame, FrameInterval, now)) return false;
        if (_window.FramebufferSize != ((int)_swapchain.Extent.Width, (int)_swapchain.Extent.Height)) _swapchain.Invalidate();

        var lines = new Dictionary<ViewerLayout.Line, string>(text()) { [ViewerLayout.Line.Message] = _message };
        bool refresh = force || Due(_lastModelRefresh, ModelRefreshInterval, now);
        Frame.Render(lines, epochs, refresh);
        if (refresh) _lastModelRefresh = now;
        _swapchain.Present();
        Controls.Changed = false;
        FramesDrawn++;
        _lastFrame = now;
        _frameTimes.Enqueue(now);
        while (now - _frameTimes.Peek() > TimeSpan.FromSeconds(1)) _frameTimes.Dequeue();
        return true;
    }

    private static bool Due(TimeSpan? last, TimeSpan interval, TimeSpan now) => last is null || now - last >= interval;

    /// <summary>Blocks for up to <paramref name="timeout"/> until the window has an event (while paused, or in a viewer's own loop).</summary>
    public static void WaitForEvents(TimeSpan timeout) => ViewerWindow.WaitEvents(timeout);

    private void Save()
    {
        Directory.CreateDirectory(_saveDirectory);
        string path;
        int n = 1;
        while (File.Exists(path = Path.Combine(_saveDirectory, $"view-{n:D3}.png"))) n++;
        Png.Write(path, Frame.Snapshot());
        _message = $"saved {path}";
    }

    public void Dispose()
    {
        _swapchain?.Dispose();
        Frame?.Dispose();
        if (_surface.Handle != 0) _wsi.DestroySurface(_gpu.Instance.Handle, _surface, null);
    }
}
