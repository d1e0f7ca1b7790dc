using System.Diagnostics;
using VulkanAE.Core;

namespace VulkanAE.Tuning;

/// <summary>
/// Measured kernel choice, as Burn's autotune: each tunable op a model records is timed at its
/// shape with every candidate this device can run (GPU timestamps, median after a warm-up), and
/// the fastest becomes its choice, in the device's <see cref="KernelChoices"/> and in the cache.
/// The largest ops go first, so a budget too short for all is spent where it pays most; an op
/// not finished in time keeps the built-in default and is tuned by a later run. Candidates run on
/// scratch tensors: a model's tensors and a run's numbers are untouched.
/// </summary>
internal static class KernelTuner
{
    /// <param name="budget">Wall time after which no further op is tuned; null: no limit.</param>
    public static IReadOnlyList<TunedOp> Tune(Gpu gpu, IEnumerable<TunableOp> ops, TuningSearch search, TimeSpan? budget, KernelChoiceCache? cache)
    {
        var deadline = budget is { } b ? DateTime.UtcNow + b : DateTime.MaxValue;
        var tuned = new List<(TunableOp Op, TunedOp Result)>();
        foreach (var op in ops.OrderByDescending(op => op.Flops).ToArray())
        {
            if (op.Tune(gpu, search, deadline) is not { } result) break;
            tuned.Add((op, result));
        }
        gpu.KernelChoices.Set(tuned.Select(t => KeyValuePair.Create(t.Op.Key, t.Result.Choice)));
        cache?.Store(tuned.Select(t => (t.Op, t.Result.Choice)).ToArray());
        return tuned.Select(t => t.Result).ToArray();
    }

    /// <summary>
    /// Tunes the ops recorded so far that have no choice (neither given nor cached), each variant at
    /// its default launch shape, within <paramref name="budget"/>, and says in one line where the choices came from.
    /// </summary>
    public static string TuneMissing(Gpu gpu, TimeSpan budget)
    {
        var choices = gpu.KernelChoices;
        var missing = choices.Missing.ToArray();
        int cached = choices.Asked.Count() - missing.Length;
        if (missing.Length == 0) return $"kernel choices: all {cached} from the cache";
        var clock = Stopwatch.StartNew();
        int tuned = Tune(gpu, missing, TuningSearch.Variants, budget, choices.Cache).Count;
        string left = tuned < missing.Length ? $"; {missing.Length - tuned} keep the defaults until tuned (`vae tune` does all)" : "";
        return $"kernel choices: {cached} from the cache, {tuned} tuned (variants) in {clock.Elapsed.TotalSeconds:F1} s{left}";
    }
}
