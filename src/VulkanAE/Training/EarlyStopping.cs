namespace VulkanAE.Training;

/// <summary>
/// --early-stop PATIENCE, as Keras's EarlyStopping(monitor="val_loss", min_delta=0): the run stops
/// once <paramref name="Patience"/> epochs in a row have not lowered the best validation loss.
/// A function of the history alone, so a resumed run decides as an uninterrupted one.
/// </summary>
internal sealed record EarlyStopping(int Patience)
{
    /// <summary>The epoch (from 1) with the lowest validation loss so far, the first of equals; null before any.</summary>
    public static int? BestEpoch(IReadOnlyList<EpochMetrics> history)
    {
        int? best = null;
        foreach (var m in history)
            if (m.ValidationLoss is double loss && (best is null || loss < history[best.Value - 1].ValidationLoss))
                best = m.Epoch;
        return best;
    }

    public bool ShouldStop(IReadOnlyList<EpochMetrics> history)
        => BestEpoch(history) is int best && history.Count - best >= Patience;
}
