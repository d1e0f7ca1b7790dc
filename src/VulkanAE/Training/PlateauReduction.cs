namespace VulkanAE.Training;

/// <summary>
/// ReduceLROnPlateau (torch's defaults: mode min, relative threshold 1e-4, no cooldown) decided on
/// the host once per epoch from the monitored loss: after more than <paramref name="Patience"/>
/// epochs without improvement, the scale is multiplied by <paramref name="Factor"/>. A function of
/// the loss history alone, so a resumed run recomputes it from metrics.csv.
/// </summary>
internal sealed record PlateauReduction(int Patience, float Factor)
{
    private const double Threshold = 1e-4;

    /// <summary>The scale after the epochs whose monitored losses are <paramref name="losses"/>.</summary>
    public float ScaleAfter(IEnumerable<double> losses)
    {
        float scale = 1f;
        double best = double.PositiveInfinity;
        int badEpochs = 0;
        foreach (var loss in losses)
        {
            if (loss < best * (1 - Threshold))
            {
                best = loss;
                badEpochs = 0;
            }
            else if (++badEpochs > Patience)
            {
                scale *= Factor;
                badEpochs = 0;
            }
        }
        return scale;
    }
}
