using VulkanAE.Training;

namespace VulkanAE.Tests.Training;

/// <summary>Says nothing; asks the run to stop at its first report at or past <paramref name="stopAtStep"/> of <paramref name="stopInEpoch"/>.</summary>
internal sealed class QuietObserver(int stopInEpoch = 0, int stopAtStep = 0) : ITrainingObserver
{
    public (int Epoch, int Step)? StoppedAt { get; private set; }
    public void Started(string description, int firstEpoch, int epochs, int stepsPerEpoch) { }
    public bool Progress(int epoch, StepProgress progress) => !(epoch == stopInEpoch && progress.Step >= stopAtStep);
    public void EpochFinished(EpochMetrics metrics) { }
    public void Stopped(int epoch, int step) => StoppedAt = (epoch, step);
}
