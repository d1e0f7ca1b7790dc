using VulkanAE.Training;

namespace VulkanAE.Viewer;

/// <summary>
/// The train and test loss as they come, mapped to the pixels of the loss panel. The train curve has
/// a point per progress report (the epoch's running mean); when it outgrows the panel's capacity,
/// every other point is dropped, so a long run keeps its whole shape in a bounded tensor.
/// </summary>
internal sealed class LossCurves(int capacity)
{
    private readonly List<(double Epochs, double Loss)> _train = [];
    private readonly List<(double Epochs, double Loss)> _test = [];

    public int Capacity => capacity;

    public void AddTrain(double epochs, double loss)
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

    /// <summary>
    /// Both curves in panel pixels (y down): epochs 0 .. <paramref name="epochs"/> across, the loss
    /// range down, kept <paramref name="inset"/> pixels inside the panel's edges (so markers of
    /// that radius on the first, last, lowest or highest point are whole).
    /// </summary>
    public IReadOnlyList<IReadOnlyList<(int X, int Y)>> Pixels(PanelRect panel, double epochs, int inset = 0)
    {
        var range = LossRange() ?? (0, 1);
        double low = range.Low, high = range.High > range.Low ? range.High : range.Low + 1;
        double span = Math.Max(epochs, _train.Concat(_test).Select(p => p.Epochs).DefaultIfEmpty(1).Max());
        (int, int) Map((double Epochs, double Loss) p) => (
            inset + (int)Math.Round(p.Epochs / span * (panel.Width - 1 - 2 * inset)),
            inset + (int)Math.Round((high - p.Loss) / (high - low) * (panel.Height - 1 - 2 * inset)));
        return [_train.Select(Map).ToArray(), _test.Select(Map).ToArray()];
    }
}
