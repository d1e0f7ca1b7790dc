using Spectre.Console;
using VulkanAE.Training;

namespace VulkanAE.Cli;

/// <summary>
/// One progress bar per epoch; a plain line per finished epoch, which also shows in logs.
/// Ctrl+C asks the run to stop: it saves a checkpoint where it stands, which --resume continues.
/// </summary>
internal sealed class TrainingProgress : ITrainingObserver
{
    private readonly ProgressContext _context;
    private ProgressTask? _epoch;
    private int _epochs;
    private int _steps;
    private volatile bool _stopRequested;

    /// <summary>Runs <paramref name="train"/> under a live progress display that it reports to.</summary>
    public static T Show<T>(Func<TrainingProgress, T> train) => AnsiConsole.Progress()
        .AutoClear(false)
        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
        .Start(context => train(new TrainingProgress(context)));

    public bool StopRequested => _stopRequested;

    private TrainingProgress(ProgressContext context)
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
        string from = firstEpoch > 1 ? $", resuming at epoch {firstEpoch}" : "";
        AnsiConsole.MarkupLine($"Training {Markup.Escape(description)}: {epochs} epochs of {stepsPerEpoch} steps{from}");
    }

    public void Note(string message) => AnsiConsole.MarkupLine(Markup.Escape(message));

    public bool Progress(int epoch, StepProgress progress)
    {
        _epoch ??= _context.AddTask($"epoch {epoch}/{_epochs}", maxValue: _steps);
        _epoch.Value = progress.Step;
        _epoch.Description = $"epoch {epoch}/{_epochs}  loss {progress.MeanLoss:G4}  {progress.ImagesPerSecond:F0} img/s";
        return !_stopRequested;
    }

    public void Stopped(int epoch, int step)
    {
        _epoch?.StopTask();
        AnsiConsole.MarkupLine($"Stopped in epoch {epoch} after {step} of {_steps} steps; checkpoint saved (continue with --resume).");
    }

    public void EpochFinished(EpochMetrics m)
    {
        _epoch?.StopTask();
        _epoch = null;
        string terms = string.Concat(m.Terms.Select(t => $" ({t.Name} {t.Test:G4})"));
        AnsiConsole.MarkupLine(
            $"epoch {m.Epoch}/{_epochs}: train loss {m.TrainLoss:G4}, test loss {m.TestLoss:G4}{terms}, {m.Seconds:F1} s, {m.ImagesPerSecond:F0} img/s");
        if (m.PosteriorCollapseWarning() is { } warning) AnsiConsole.MarkupLine($"[yellow]warning:[/] {Markup.Escape(warning)}");
    }
}
