using VulkanAE.Core;
using VulkanAE.Training;

namespace VulkanAE.Viewer;

/// <summary>
/// `vae train --view`: wraps the CLI's observer and shows the run in a window. Between training
/// chunks (every ~1/40 s) it handles input, draws a frame on the training queue and presents it;
/// while paused it keeps drawing and holds the run; Esc or closing the window stops the run,
/// which saves its checkpoint. Without a display it says so once and the run goes on.
/// </summary>
internal sealed class ViewerObserver(ITrainingObserver inner, Action<string> say) : ITrainingObserver, ITrainingViewer, IDisposable
{
    /// <summary>Training chunks of this length give a frame about 40 times a second.</summary>
    private static readonly TimeSpan ReportInterval = TimeSpan.FromSeconds(1.0 / 40);

    private static readonly TimeSpan PausedFrameInterval = TimeSpan.FromSeconds(1.0 / 30);

    private ViewerWindow? _window;
    private LiveView? _view;
    private LiveTraining? _training;
    private float? _klOverride;
    private string _status = "starting";
    private double _epochs;
    private int _totalEpochs;

    public GpuOptions DeviceOptions(GpuOptions options)
    {
        _window = ViewerWindow.TryOpen("VulkanAE", out var reason);
        if (_window is null)
        {
            say($"{reason}: training goes on without the window");
            return options;
        }
        return options with { Presentation = ViewerWindow.Presentation() };
    }

    public IDisposable? Attach(LiveTraining training)
    {
        if (_window is null) return null;
        _training = training;
        _totalEpochs = training.Epochs;
        training.Trainer.ReportInterval = ReportInterval;
        _view = new LiveView(training.Gpu, _window, training.Model, training.Test, training.OutputDirectory);
        _window.SetTitle($"VulkanAE: {training.Model.Spec.Name}");
        return this;
    }

    public void Started(string description, int firstEpoch, int epochs, int stepsPerEpoch)
    {
        _epochs = firstEpoch - 1;
        inner.Started(description, firstEpoch, epochs, stepsPerEpoch);
    }

    public void Note(string message) => inner.Note(message);

    public Action Decoding(int images) => inner.Decoding(images);

    public bool Progress(int epoch, StepProgress progress)
    {
        bool goOn = inner.Progress(epoch, progress);
        if (_view is null) return goOn;
        _epochs = epoch - 1 + (double)progress.Step / progress.Steps;
        _view.Frame.Curves.AddTrainProgress(epoch, progress);
        _status = $"epoch {epoch}/{_totalEpochs}  step {progress.Step}/{progress.Steps}  loss {progress.MeanLoss:G5}  {progress.ImagesPerSecond:F0} img/s";
        ApplyKlWeight();
        _view.Update(Text, _totalEpochs);
        while (_view.Controls.Paused && !_view.StopRequested)
        {
            LiveView.WaitForEvents(PausedFrameInterval);
            ApplyKlWeight();
            _view.Update(Text, _totalEpochs);
        }
        return goOn && !_view.StopRequested;
    }

    public void EpochFinished(EpochMetrics metrics)
    {
        inner.EpochFinished(metrics);
        if (_view is null) return;
        _view.Frame.Curves.AddTest(metrics.Epoch, metrics.TestLoss);
        _view.Update(Text, _totalEpochs, force: true);
    }

    public void Stopped(int epoch, int step) => inner.Stopped(epoch, step);

    /// <summary>
    /// + and - set the KL weight for the rest of the run; the run's own schedule sets it at each
    /// epoch's start, so a chosen weight is put back at the first report after.
    /// </summary>
    private void ApplyKlWeight()
    {
        var trainer = _training!.Trainer;
        if (!trainer.Model.IsVariational) return;
        float chosen = _view!.Controls.ApplyKlSteps(_klOverride ?? trainer.KlWeight);
        if (chosen != (_klOverride ?? trainer.KlWeight)) _klOverride = chosen;
        if (_klOverride is float weight && trainer.KlWeight != weight) trainer.KlWeight = weight;
    }

    private IReadOnlyDictionary<ViewerLayout.Line, string> Text()
    {
        var trainer = _training!.Trainer;
        string beta = trainer.Model.IsVariational ? $"  beta {trainer.KlWeight:0.0##}" : "";
        string paused = _view!.Controls.Paused ? "  PAUSED" : "";
        return new Dictionary<ViewerLayout.Line, string>
        {
            [ViewerLayout.Line.Status] = $"{_status}{beta}  {_view.FramesPerSecond:F0} fps{paused}",
        };
    }

    public void Dispose()
    {
        if (_view is not null) say($"live view: {_view.FramesDrawn} frames, {_view.AverageFramesPerSecond:F1} per second");
        _view?.Dispose();
        _view = null;
        _window?.Dispose();
        _window = null;
    }
}
