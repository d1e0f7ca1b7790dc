using VulkanAE.Training;

namespace VulkanAE.Viewer;

/// <summary>
/// The train and test loss as they come, mapped to the pixels of the loss panel. During training the
/// train curve is the per-step loss smoothed exponentially across epochs (<see cref="AddTrainProgress"/>),
/// so it does not drop where an epoch's running mean would start again; when it outgrows the panel's
/// capacity, every other point is dropped, so a long run keeps its whole shape in a bounded tensor.
/// </summary>
internal sealed class LossCurves(int capacity)
{
    /// <summary>The weight the smoothed loss keeps per step (the rest goes to the step's loss): about the last 20 steps count.</summary>
    public const double Smoothing = 0.95;

    private readonly List<(double Epochs, double Loss)> _train = [];
    private readonly List<(double Epochs, double Loss)> _test = [];
    private (int Epoch, int Step, double MeanLoss) _lastReport;
    private double? _smoothed;

    public int Capacity => capacity;

    /// <summary>
    /// A progress report of <paramref name="epoch"/>: the mean loss of the steps since the last report is
    /// recovered from the epoch's running means, and folded into the smoothed loss step by step.
    /// </summary>
    public void AddTrainProgress(int epoch, StepProgress progress)
    {
        var (stepsBefore, sumBefore) = _lastReport.Epoch == epoch ? (_lastReport.Step, _lastReport.MeanLoss * _lastReport.Step) : (0, 0.0);
        int steps = progress.Step - stepsBefore;
        _lastReport = (epoch, progress.Step, progress.MeanLoss);
        if (steps <= 0) return;
        double meanLoss = (progress.MeanLoss * progress.Step - sumBefore) / steps;
        double keep = Math.Pow(Smoothing, steps);
        _smoothed = _smoothed is double previous ? keep * previous + (1 - keep) * meanLoss : meanLoss;
        AddTrain(epoch - 1 + (double)progress.Step / progress.Steps, _smoothed.Value);
    }

    private void AddTrain(double epochs, double loss)
    {
        if (_train.Count == capacity) Halve(_train);
        _train.Add((epochs, loss));
    }

    public void AddTest(double epochs, double loss)
    {
        if (_test.Count == capacity) Halve(_test);
        _test.Add((epochs, loss));
    }

    /// <summary>Each epoch of a finished run: its train and test loss at the epoch's end.</summary>
    public void AddEpochs(IEnumerable<EpochMetrics> history)
    {
        foreach (var m in history)
        {
            AddTrain(m.Epoch, m.TrainLoss);
            AddTest(m.Epoch, m.TestLoss);
        }
    }

    private static void Halve(List<(double, double)> points)
    {
        var kept = points.Where((_, i) => i % 2 == 0).ToArray();
        points.Clear();
        points.AddRange(kept);
    }

    /// <summary>The loss range the panel spans, for its label; null before the first point.</summary>
    public (double Low, double High)? LossRange()
    {
        var losses = _train.Concat(_test).Select(p => p.Loss).Where(double.IsFinite).ToArray();
        return losses.Length == 0 ? null : (losses.Min(), losses.Max());
    }

    /// <summary>The epochs the chart spans: the run's, or more when points lie past them.</summary>
    public double EpochSpan(double epochs) => Math.Max(epochs, _train.Concat(_test).Select(p => p.Epochs).DefaultIfEmpty(1).Max());

    /// <summary>
    /// Both curves in panel pixels (y down): epochs 0 .. <paramref name="epochs"/> across, the loss
    /// range down, kept <paramref name="inset"/> pixels inside the panel's edges (so markers of
    /// that radius on the first, last, lowest or highest point are whole).
    /// </summary>
    public IReadOnlyList<IReadOnlyList<(int X, int Y)>> Pixels(PanelRect panel, double epochs, int inset = 0)
    {
        var range = LossRange() ?? (0, 1);
        double low = range.Low, high = range.High > range.Low ? range.High : range.Low + 1;
        double span = EpochSpan(epochs);
        (int, int) Map((double Epochs, double Loss) p) => (
            inset + (int)Math.Round(p.Epochs / span * (panel.Width - 1 - 2 * inset)),
            inset + (int)Math.Round((high - p.Loss) / (high - low) * (panel.Height - 1 - 2 * inset)));
        return [_train.Select(Map).ToArray(), _test.Select(Map).ToArray()];
    }
}
