namespace VulkanAE.Core;

/// <summary>
/// What a recorded sequence costs before it runs: its dispatches, its transfers (copies and
/// fills), and the bytes and flops its commands state (<see cref="CommandWork"/>). On a CPU driver
/// every dispatch costs 5-8 us on its own, and a memory-bound pass costs its bytes: these are the
/// figures a fusion of passes changes.
/// </summary>
internal readonly record struct CommandCensus(int Dispatches, int Transfers, double Bytes, double Flops)
{
    public static CommandCensus Of(IReadOnlyList<SequenceRecorder.Command> commands) => new(
        commands.Count(c => c is SequenceRecorder.DispatchCommand),
        commands.Count(c => c is not SequenceRecorder.DispatchCommand),
        commands.Sum(c => c.Work.Bytes),
        commands.Sum(c => c.Work.Flops));

    public override string ToString()
        => $"{Dispatches} dispatches, {Transfers} copies and fills, {Bytes / 1e6:F2} MB moved, {Flops / 1e9:F3} GFLOP";
}
