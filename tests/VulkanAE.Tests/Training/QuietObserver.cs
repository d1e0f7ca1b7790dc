using VulkanAE.Training;

namespace VulkanAE.Tests.Training;

/// <summary>Says nothing (keeps the notes for tests to read); asks the run to stop at its first report at or past <paramref name="stopAtStep"/> of <paramref name="stopInEpoch"/>.</summary>
internal sealed class QuietObserver(int stopInEpoch = 0, int stopAtStep = 0) : ITrainingObserver
{
    public (int Epoch, int Step)? StoppedAt { get; private set; }
    public List<string> Notes { get; } = [];
    public void Started(string description, int firstEpoch, int epochs, int stepsPerEpoch) { }
    public bool Progress(int epoch, StepProgress progress) => !(epoch == stopInEpoch && progress.Step >= stopAtStep);
    public void EpochFinished(EpochMetrics metrics) { }
    public void Note(string message) => Notes.Add(message);
    public void Stopped(int epoch, int step) => StoppedAt = (epoch, step);

    /// <summary>Images reported decoded into the dataset cache, per decode.</summary>
    public List<(int Images, int Done)> Decodes { get; } = [];

    public Action Decoding(int images)
    {
        int index = Decodes.Count;
        Decodes.Add((images, 0));
        return () =>
        {
            lock (Decodes) Decodes[index] = (images, Decodes[index].Done + 1);
        };
    }
}
