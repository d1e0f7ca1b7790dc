using System.Text.Json;
using VulkanAE.Tuning;

namespace VulkanAE.Tests.Tuning;

/// <summary>
/// The decision rule of tuning, on made-up times (no device, no clock): a challenger replaces what
/// runs now only when it wins alternating pairs by more than the noise, and a tuned set survives
/// only when the whole training step is faster with it.
/// </summary>
public class ChoiceRuleTests
{
    [Test]
    public void AChallengerWithinTheNoiseKeepsTheDefault()
    {
        double[] baseline = [10.0, 10.4, 9.8, 10.1, 10.2];
        double[] challenger = [9.9, 10.1, 10.0, 9.8, 10.3]; // 1-3% apart either way
        var comparison = ChoiceRule.Compare(baseline, challenger);
        Assert.That(comparison.ChallengerWins, Is.False);
        Assert.That(comparison.Ratio, Is.EqualTo(0.99).Within(0.02));
    }

    [Test]
    public void AClearlyFasterChallengerWins()
    {
        double[] baseline = [10.0, 10.4, 9.8, 10.1, 10.2];
        double[] challenger = [8.0, 8.4, 7.7, 8.1, 8.0];
        var comparison = ChoiceRule.Compare(baseline, challenger);
        Assert.That(comparison.ChallengerWins, Is.True);
        Assert.That(comparison.Ratio, Is.EqualTo(0.8).Within(0.01));
    }

    [Test]
    public void AGainSmallerThanThePairsOwnSpreadDoesNotWin()
    {
        // Median ratio 0.9 (10% faster), but the pairs scatter by 0.3 either side of it.
        double[] baseline = [10, 10, 10, 10, 10];
        double[] challenger = [9, 6, 12, 9, 5.5];
        var comparison = ChoiceRule.Compare(baseline, challenger);
        Assert.That(comparison.Ratio, Is.EqualTo(0.9).Within(1e-9));
        Assert.That(comparison.Noise, Is.EqualTo(0.3).Within(1e-9));
        Assert.That(comparison.ChallengerWins, Is.False);
    }

    [Test]
    public void AGainBelowTheMinimumDoesNotWinEvenWithoutNoise()
    {
        var comparison = ChoiceRule.Compare([10, 10, 10], [9.8, 9.8, 9.8]);
        Assert.That(comparison.Noise, Is.Zero);
        Assert.That(comparison.ChallengerWins, Is.False, $"2% < the minimum gain {ChoiceRule.MinimumGain:P0}");
    }

    [Test]
    public void PairsSwapTheirOrderSoThatRunningSecondFavoursNeither()
    {
        // A clock that makes whatever runs second in a pair 30% faster (warm caches, say): equal kernels.
        var order = new List<string>();
        int calls = 0;
        double Run(string who)
        {
            order.Add(who);
            return calls++ % 2 == 0 ? 10 : 7;
        }
        var comparison = ChoiceRule.Alternate(() => Run("default"), () => Run("challenger"), pairs: 4);
        Assert.That(order, Is.EqualTo(new[] { "default", "challenger", "challenger", "default", "default", "challenger", "challenger", "default" }));
        Assert.That(comparison.ChallengerWins, Is.False);
    }

    [Test]
    public void UnpairedTimesAreRefused()
    {
        Assert.That(() => ChoiceRule.Compare([1, 2], [1]), Throws.ArgumentException);
        Assert.That(() => ChoiceRule.Compare([], []), Throws.ArgumentException);
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    private static TunedOp Op(string shape, string choice, string defaultChoice) => new("matmul", shape, Json(choice), Json(defaultChoice),
        [new CandidateTime("default", 1.0, choice == defaultChoice), new CandidateTime("other", 0.5, choice != defaultChoice)], "made up");

    /// <summary>Two ops whose choices differ from their defaults, one that keeps its default.</summary>
    private static readonly TunedOp[] Tuned =
    [
        Op("1x1x1 tA0 tB0", "{\"tile\": 2}", "{\"tile\": 1}"),
        Op("2x2x2 tA0 tB0", "{\"tile\": 4}", "{\"tile\": 1}"),
        Op("3x3x3 tA0 tB0", "{\"tile\": 1}", "{\"tile\": 1}"),
    ];

    /// <summary>A training step that takes <paramref name="withDefaults"/> ms with the defaults and <paramref name="tuned"/> with the tuned choices.</summary>
    private static StepSample Step(double withDefaults, double tuned, List<string>? asked = null) => choices =>
    {
        Assert.That(choices.Select(c => c.Key), Is.EquivalentTo(Tuned.Take(2).Select(o => o.Key)), "only the changed ops are switched");
        bool defaults = choices.All(c => c.Value.GetRawText() == "{\"tile\": 1}");
        asked?.Add(defaults ? "defaults" : "tuned");
        return defaults ? withDefaults : tuned;
    };

    [Test]
    public void ATunedSetThatMakesTheStepSlowerIsRejected()
    {
        var (ops, step) = KernelTuner.KeepIfFasterInStep(Tuned, Step(withDefaults: 30, tuned: 36));
        Assert.That(step!.ChallengerWins, Is.False);
        Assert.That(step.Ratio, Is.EqualTo(1.2).Within(1e-9));
        Assert.That(ops.All(o => o.KeepsDefault), "every op back to its default");
        Assert.That(ops.Select(o => o.Candidates.Single(c => c.Chosen).Candidate), Has.All.EqualTo("default"));
        Assert.That(ops[0].Decision, Does.StartWith("default kept").And.Contain("training step"));
        Assert.That(ops[2].Decision, Is.EqualTo("made up"), "an op that kept its default keeps its own reason");
    }

    [Test]
    public void ATunedSetThatMakesTheStepFasterIsKept()
    {
        var asked = new List<string>();
        var (ops, step) = KernelTuner.KeepIfFasterInStep(Tuned, Step(withDefaults: 30, tuned: 24, asked));
        Assert.That(step!.ChallengerWins, Is.True);
        Assert.That(ops.Select(o => o.Choice.GetRawText()), Is.EqualTo(Tuned.Select(o => o.Choice.GetRawText())));
        Assert.That(asked.Take(2), Is.EqualTo(new[] { "defaults", "tuned" }), "a warm-up sample of each first");
        Assert.That(asked.Count(a => a == "defaults"), Is.EqualTo(asked.Count(a => a == "tuned")), "as many samples of each");
    }

    [Test]
    public void WhenNoOpChangedTheStepIsNotTimed()
    {
        var (ops, step) = KernelTuner.KeepIfFasterInStep([Tuned[2]], _ => throw new AssertionException("timed a step"));
        Assert.That(step, Is.Null);
        Assert.That(ops.Single(), Is.SameAs(Tuned[2]));
    }
}
