using VulkanAE.Training;
using VulkanAE.Viewer;

namespace VulkanAE.Tests.Viewer;

/// <summary>The live loss panel's train curve: per-step losses recovered from running means, smoothed across epochs.</summary>
public class LossCurvesTests
{
    /// <summary>Reports of an epoch of <paramref name="steps"/> steps, every <paramref name="every"/> steps, of the running mean of <paramref name="loss"/>(step).</summary>
    private static void Report(LossCurves curves, int epoch, int steps, int every, Func<int, double> loss)
    {
        double sum = 0;
        for (int step = 1; step <= steps; step++)
        {
            sum += loss(step);
            if (step % every == 0 || step == steps) curves.AddTrainProgress(epoch, new StepProgress(step, steps, sum / step, 1));
        }
    }

    [Test]
    public void ASteadyLossGivesAFlatCurveAcrossEpochs()
    {
        // The running mean of an epoch whose losses fall would jump back up at the next epoch; the per-step curve does not.
        var curves = new LossCurves(capacity: 64);
        Report(curves, 1, 10, 3, _ => 2.0);
        Report(curves, 2, 10, 3, _ => 2.0);
        Assert.That(curves.LossRange(), Is.EqualTo((2.0, 2.0)));
    }

    [Test]
    public void EachStepsLossIsFoldedInWithTheSmoothingWeight()
    {
        var curves = new LossCurves(capacity: 64);
        // Epoch 1: loss 4 at every step; epoch 2: loss 1. Reports after 2 and 5 steps.
        Report(curves, 1, 5, 5, _ => 4.0);
        Report(curves, 2, 5, 2, _ => 1.0);
        double expected = 4.0;
        for (int step = 0; step < 5; step++) expected = LossCurves.Smoothing * expected + (1 - LossCurves.Smoothing) * 1.0;
        var (low, high) = curves.LossRange()!.Value;
        Assert.That(high, Is.EqualTo(4.0));
        Assert.That(low, Is.EqualTo(expected).Within(1e-12), "five steps of loss 1 after a smoothed 4");
    }

    [Test]
    public void AStepChangeWithinAnEpochIsTheChunksOwnMean()
    {
        // Steps 1-4 at loss 3, then 5-8 at loss 1: the second report's chunk mean is 1, not the running mean 2.
        var curves = new LossCurves(capacity: 64);
        Report(curves, 1, 8, 4, step => step <= 4 ? 3.0 : 1.0);
        double keep = Math.Pow(LossCurves.Smoothing, 4);
        Assert.That(curves.LossRange()!.Value.Low, Is.EqualTo(keep * 3 + (1 - keep) * 1).Within(1e-12));
    }
}
