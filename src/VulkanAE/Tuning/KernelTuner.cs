using System.Diagnostics;
using System.Text.Json;
using VulkanAE.Core;

namespace VulkanAE.Tuning;

/// <summary>
/// One sample of a whole training step's time (ms) with the given kernel choices in force: what
/// decides whether a tuning's choices are kept.
/// </summary>
internal delegate double StepSample(IReadOnlyList<KeyValuePair<string, JsonElement>> choices);

/// <summary>What a tuning decided: each op tuned, and how the training step compared with its changes (null when none was timed).</summary>
internal sealed record TuningOutcome(IReadOnlyList<TunedOp> Ops, Comparison? Step);

/// <summary>
/// Measured kernel choice, as Burn's autotune: each tunable op a model records is timed at its
/// shape on this device, and a candidate replaces the built-in default only when it beats it in
/// alternating pairs by more than the noise (<see cref="TunableOp{TChoice}"/>); then the ops'
/// changes together are timed in the whole training step against the defaults, alternating, and
/// kept only when the step is faster. The cache records the outcome, "default kept" included, so
/// the next run does not tune again. The largest ops go first, each with an equal share of the
/// budget left (an op not reached keeps the default and is tuned by a later run). Candidates run
/// on scratch tensors.
///
/// Why ops timed alone misled (session 4: fc-vae's tuned set trained an epoch in 15.1-17.0 s against
/// 12.4 s with the defaults), measured on lavapipe, 2 shared cores, load average 9-70:
/// - The old rule timed each candidate once (median of 3-5 back-to-back runs) at its own moment and
///   took the fastest if 5% ahead. The moment decides more than the kernel: the same default of
///   matmul 784x400x128 tA1 screened at 27.8 ms and, right after, at 5.2-7.8 ms. So the default,
///   timed first, lost to whichever candidate met a quiet moment.
/// - Lavapipe's timestamps are host-clock readings taken as its worker reaches each command: a
///   dispatch split over two worker threads shows half its CPU time when both cores are free and
///   all of it, or many times it, when another process holds one. One kernel (matmul 128x400x784,
///   20 runs alternating with another shape): timestamps 7-274 ms, process CPU time 3.5-41 ms.
///   So on a CPU driver tuning counts CPU time (<see cref="WorkClock"/>).
/// - The in-step profile of an op and its time alone differed in both directions by as much as the
///   choices did (5.5 ms in the step against 3.1 ms alone for one default, the reverse for another):
///   at this load no cache or order effect could be told from the noise, so the step itself decides.
/// </summary>
internal static class KernelTuner
{
    /// <summary>Alternating pairs of whole training steps, defaults against the tuned set.</summary>
    private const int StepPairs = 7;

    /// <param name="budget">Wall time after which no further op is tuned; null: no limit.</param>
    /// <param name="step">Times the training step with given choices; null: the ops' own decisions stand.</param>
    public static TuningOutcome Tune(Gpu gpu, IEnumerable<TunableOp> ops, TuningSearch search, TimeSpan? budget, KernelChoiceCache? cache, StepSample? step)
    {
        var deadline = budget is { } b ? DateTime.UtcNow + b : DateTime.MaxValue;
        var pending = ops.OrderByDescending(op => op.Flops).ToArray();
        var tuned = new List<(TunableOp Op, TunedOp Result)>();
        for (int i = 0; i < pending.Length; i++)
        {
            var now = DateTime.UtcNow;
            if (now >= deadline) break;
            var opDeadline = deadline == DateTime.MaxValue ? deadline : now + (deadline - now) / (pending.Length - i);
            tuned.Add((pending[i], pending[i].Tune(gpu, search, opDeadline)));
        }
        var (results, comparison) = step is null ? (tuned.Select(t => t.Result).ToArray(), null) : KeepIfFasterInStep(tuned.Select(t => t.Result).ToArray(), step);
        gpu.KernelChoices.Set(results.Select(r => KeyValuePair.Create(r.Key, r.Choice)));
        cache?.Store(tuned.Zip(results, (t, r) => (t.Op, r.Choice)).ToArray());
        return new TuningOutcome(results, comparison);
    }

    /// <summary>
    /// Times the training step with the ops' changed choices against the step with those ops'
    /// defaults, alternating after one warm-up sample of each, and returns the ops as decided: as
    /// they are when the step is faster, else each with its default. The comparison is null when
    /// no op changed (then the step is not timed).
    /// </summary>
    public static (TunedOp[] Ops, Comparison? Step) KeepIfFasterInStep(IReadOnlyList<TunedOp> results, StepSample step)
    {
        var changed = results.Where(r => !r.KeepsDefault).ToArray();
        if (changed.Length == 0) return (results.ToArray(), null);
        var defaults = changed.Select(r => KeyValuePair.Create(r.Key, r.Default)).ToArray();
        var choices = changed.Select(r => KeyValuePair.Create(r.Key, r.Choice)).ToArray();
        step(defaults);
        step(choices);
        var comparison = ChoiceRule.Alternate(() => step(defaults), () => step(choices), StepPairs);
        if (comparison.ChallengerWins) return (results.ToArray(), comparison);
        string why = $"with the tuned set the training step took {comparison} of its time with the defaults";
        return (results.Select(r => r.KeepsDefault ? r : r.WithDefault(why)).ToArray(), comparison);
    }

    /// <summary>
    /// Tunes the ops recorded so far that have no choice (neither given nor cached), each variant at
    /// its default launch shape, within <paramref name="budget"/>, and says in one line where the choices came from.
    /// </summary>
    public static string TuneMissing(Gpu gpu, TimeSpan budget, StepSample? step)
    {
        var choices = gpu.KernelChoices;
        var missing = choices.Missing.ToArray();
        int cached = choices.Asked.Count() - missing.Length;
        if (missing.Length == 0) return $"kernel choices: all {cached} from the cache";
        var clock = Stopwatch.StartNew();
        var outcome = Tune(gpu, missing, TuningSearch.Variants, budget, choices.Cache, step);
        int changed = outcome.Ops.Count(o => !o.KeepsDefault);
        string left = outcome.Ops.Count < missing.Length ? $"; {missing.Length - outcome.Ops.Count} keep the defaults until tuned (`vae tune` does all)" : "";
        string inStep = outcome.Step is { } s ? $", step {s} of the defaults'" : "";
        return $"kernel choices: {cached} from the cache, {outcome.Ops.Count} tuned (variants) in {clock.Elapsed.TotalSeconds:F1} s, "
            + $"{changed} differ from the defaults{inStep}{left}";
    }
}
