using System.Diagnostics;
using Spectre.Console;
using VulkanAE.Training;

namespace VulkanAE.Cli;

/// <summary>
/// On a terminal, one progress bar per epoch with the time left in the epoch and in the run; a plain
/// line per finished epoch, which is all that is written when stdout is not a terminal; a bar for
/// the decode of an image folder into the dataset cache, on its first run.
/// Ctrl+C asks the run to stop: it saves a checkpoint where it stands, which --resume continues.
/// </summary>
internal sealed class TrainingProgress : ITrainingObserver
{
    private readonly ProgressContext? _context;
    private readonly Stopwatch _clock = new();
    private ProgressTask? _epoch;
    private int _epochs;
    private int _steps;
    private long _stepsLeft;
    private long _stepsDone;
    private volatile bool _stopRequested;

    /// <summary>Runs <paramref name="train"/> under a live progress display that it reports to, or with plain lines off a terminal.</summary>
    public static T Show<T>(Func<TrainingProgress, T> train) => ConsoleOutput.Live
        ? AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context => train(new TrainingProgress(context)))
        : train(new TrainingProgress(null));

    /// <summary>Ctrl+C was pressed: the run stopped where it stood (exit code 130).</summary>
    public bool StopRequested => _stopRequested;

    private TrainingProgress(ProgressContext? context)
    {
        _context = context;
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = !_stopRequested; // a second Ctrl+C ends the process at once
            _stopRequested = true;
        };
    }

    public void Started(string description, int firstEpoch, int epochs, int stepsPerEpoch)
    {
        _epochs = epochs;
        _steps = stepsPerEpoch;
        _stepsLeft = (long)(epochs - firstEpoch + 1) * stepsPerEpoch;
        _stepsDone = 0;
        _clock.Restart();
        string from = firstEpoch > 1 ? $", resuming at epoch {firstEpoch}" : "";
        ConsoleOutput.Line($"Training {Markup.Escape(description)}: {TrainingRun.Plural(epochs, "epoch")} of {TrainingRun.Plural(stepsPerEpoch, "step")}{from}");
    }

    public void Note(string message) => ConsoleOutput.Line(Markup.Escape(message));

    /// <summary>On a terminal, a bar that fills as the images are decoded (from several threads: Spectre's tasks lock).</summary>
    public Action Decoding(int images)
    {
        if (_context is null) return () => { };
        var task = _context.AddTask("decoding", maxValue: images);
        return () => task.Increment(1);
    }

    public bool Progress(int epoch, StepProgress progress)
    {
        if (_context is not null)
        {
            _epoch ??= _context.AddTask($"epoch {epoch}/{_epochs}", maxValue: _steps);
            _epoch.Value = progress.Step;
            long done = _stepsDone + progress.Step;
            _epoch.Description = Markup.Escape($"epoch {epoch}/{_epochs}  loss {progress.MeanLoss:G4}  {progress.ImagesPerSecond:F0} img/s  run {RunTimeLeft(done)}");
        }
        return !_stopRequested;
    }

    /// <summary>The time left in the run at the pace so far: its steps left over its steps per second in this process.</summary>
    private string RunTimeLeft(long stepsDone)
    {
        if (stepsDone <= 0 || _clock.Elapsed.TotalSeconds <= 0) return "--:--:-- left";
        double seconds = (_stepsLeft - stepsDone) * _clock.Elapsed.TotalSeconds / stepsDone;
        return $"{TimeSpan.FromSeconds(Math.Max(0, Math.Round(seconds))):h\\:mm\\:ss} left";
    }

    public void Stopped(int epoch, int step)
    {
        _epoch?.StopTask();
        ConsoleOutput.Line($"Stopped in epoch {epoch} after {step} of {TrainingRun.Plural(_steps, "step")}; checkpoint saved (continue with --resume).");
    }

    public void EpochFinished(EpochMetrics m)
    {
        _epoch?.StopTask();
        _epoch = null;
        _stepsDone = (long)Math.Min(_stepsLeft, _stepsDone + _steps);
        string validation = m.ValidationLoss is double v ? $", validation loss {v:G4}" : "";
        string terms = string.Concat(m.Terms.Select(t => $" ({t.Name} {t.Test:G4})"));
        string rate = m.LearningRate is double lr ? $", lr {lr:G3}" : "";
        ConsoleOutput.Line(Markup.Escape(
            $"epoch {m.Epoch}/{_epochs}: train loss {m.TrainLoss:G4}{validation}, test loss {m.TestLoss:G4}{terms}{rate}, {m.Seconds:F1} s, {m.ImagesPerSecond:F0} img/s, run {RunTimeLeft(_stepsDone)}"));
        if (m.PosteriorCollapseWarning() is { } warning) ConsoleOutput.Line($"[yellow]warning:[/] {Markup.Escape(warning)}");
    }
}
