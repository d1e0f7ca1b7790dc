using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using VulkanAE.Core;

namespace VulkanAE.Tuning;

/// <summary>
/// One choice point at one shape: the key its choice is stored under ("matmul 128x400x784 tA0 tB1"),
/// the shaders its candidates run, and its work (the tuner spends a time budget on the largest
/// ops first). The typed part, <see cref="TunableOp{TChoice}"/>, knows the candidates.
/// </summary>
internal abstract class TunableOp
{
    /// <summary>How choices are written in caches and run directories: enums by name, so a file says which variant.</summary>
    public static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    public abstract string Op { get; }
    public abstract string Shape { get; }
    public string Key => $"{Op} {Shape}";

    /// <summary>Multiply-adds times 2.</summary>
    public abstract double Flops { get; }

    /// <summary>The SPIR-V files of its op family (a glob under shaders/, e.g. "dense/matmul_*.spv"): new variants join the hash by themselves.</summary>
    protected abstract string ShaderFiles { get; }

    /// <summary>A hash of the op family's SPIR-V as built: a cached choice holds only for the build it was timed with.</summary>
    public string ShaderBuild() => SpirvHash(Path.Combine(AppContext.BaseDirectory, "shaders"), ShaderFiles);

    /// <summary>SHA-256 over the names and bytes of the files matching <paramref name="pattern"/> (a folder, then a file glob) in name order.</summary>
    public static string SpirvHash(string shaderDirectory, string pattern)
    {
        var folder = Path.Combine(shaderDirectory, Path.GetDirectoryName(pattern) ?? "");
        var files = Directory.Exists(folder) ? Directory.GetFiles(folder, Path.GetFileName(pattern)) : [];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(Path.GetFileName(file)));
            hash.AppendData(File.ReadAllBytes(file));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }

    /// <summary>The built-in default choice on <paramref name="device"/>, as stored.</summary>
    public abstract JsonElement DefaultChoice(DeviceInfo device);

    /// <summary>
    /// Times candidates on scratch tensors of this shape and decides (see <see cref="TunableOp{TChoice}"/>).
    /// Screening stops at <paramref name="deadline"/> once the default and one other candidate are
    /// timed, so that the decision is measured whatever the deadline.
    /// </summary>
    public abstract TunedOp Tune(Gpu gpu, TuningSearch search, DateTime deadline);
}

/// <summary>
/// A tunable op whose choice is a <typeparamref name="TChoice"/> (a variant and its launch shape):
/// the built-in default, the candidates worth timing on a device, and how to run one of them on
/// scratch tensors, so tuning never touches a model's own. Tuning screens, coarse to fine: the
/// default and each variant at its default launch shape, then (searching launch shapes) the
/// shapes around the fastest variant's only; screening stops at the op's deadline, once the
/// default and one other candidate are timed. The fastest
/// screened candidate then meets the default in alternating pairs (<see cref="ChoiceRule"/>), and
/// replaces it only when it wins there: screening times candidates at different moments, and on a
/// shared machine the moment moves a time more than the kernel does.
/// </summary>
internal abstract class TunableOp<TChoice> : TunableOp where TChoice : struct
{
    /// <summary>Runs per screening time (after a warm-up run that pays the driver's shader compilation): their median.</summary>
    private const int ScreeningRuns = 3;

    /// <summary>Alternating pairs of the default and the fastest screened candidate, each sample the median of <see cref="ScreeningRuns"/> runs.</summary>
    private const int ConfirmationPairs = 5;

    /// <summary>The choice this device makes without measurements: the kernels' built-in default.</summary>
    public abstract TChoice Default(DeviceInfo device);

    public override JsonElement DefaultChoice(DeviceInfo device) => ToJson(Default(device));

    /// <summary>The variant of a choice, without its launch shape: launch shapes are searched around the fastest variant only.</summary>
    protected abstract Enum VariantOf(TChoice choice);

    /// <summary>The default first, then the other variants this device supports, each at its default launch shape and, searching them, the launch shapes around it.</summary>
    public abstract IEnumerable<TChoice> Candidates(DeviceInfo device, TuningSearch search);

    /// <summary>Whether this device can run a stored choice (a recorded run may come from another device).</summary>
    public abstract bool CanRun(DeviceInfo device, TChoice choice);

    /// <summary>Tensors shaped as the op's operands, holding random values.</summary>
    protected abstract Tensor[] CreateScratch(Gpu gpu, Random random);

    /// <summary>Records the op with <paramref name="choice"/> on the tensors of <see cref="CreateScratch"/>.</summary>
    protected abstract void Record(SequenceRecorder r, TChoice choice, IReadOnlyList<Tensor> scratch);

    public JsonElement ToJson(TChoice choice) => JsonSerializer.SerializeToElement(choice, Json);

    /// <summary>The choice stored as <paramref name="json"/>, or null when it does not parse as one.</summary>
    public static TChoice? FromJson(JsonElement json)
    {
        try
        {
            return json.Deserialize<TChoice>(Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public override TunedOp Tune(Gpu gpu, TuningSearch search, DateTime deadline)
    {
        var scratch = CreateScratch(gpu, new Random(1));
        var clocks = new Dictionary<TChoice, WorkClock>();
        WorkClock Clock(TChoice choice)
        {
            if (!clocks.TryGetValue(choice, out var clock))
                clocks[choice] = clock = new WorkClock(gpu, $"tune {Key}", r => Record(r, choice, scratch));
            return clock;
        }
        try
        {
            var timed = new List<(TChoice Choice, double Milliseconds)>();
            void Screen(IEnumerable<TChoice> candidates)
            {
                double best = timed.Count > 0 ? timed.Min(t => t.Milliseconds) : double.PositiveInfinity;
                foreach (var candidate in candidates.Where(c => !timed.Any(t => t.Choice.Equals(c))))
                {
                    if (timed.Count > 1 && DateTime.UtcNow > deadline) return;
                    var clock = Clock(candidate);
                    clock.Sample();
                    // A candidate already twice as slow as the best after one run is not run again.
                    double first = clock.Sample();
                    double ms = first > 2 * best ? first : ChoiceRule.Median([first, .. Enumerable.Range(1, ScreeningRuns - 1).Select(_ => clock.Sample())]);
                    timed.Add((candidate, ms));
                    best = Math.Min(best, ms);
                }
            }
            Screen(Candidates(gpu.Info, TuningSearch.Variants));
            if (search == TuningSearch.LaunchShapes)
            {
                var leader = VariantOf(timed.MinBy(t => t.Milliseconds).Choice);
                Screen(Candidates(gpu.Info, TuningSearch.LaunchShapes).Where(c => VariantOf(c).Equals(leader)));
            }
            var (defaultChoice, defaultMs) = timed[0];
            var fastest = timed.MinBy(t => t.Milliseconds);
            string decision;
            var chosen = defaultChoice;
            if (timed.Count == 1)
                decision = "default: the only candidate this device runs";
            else if (fastest.Milliseconds >= defaultMs)
                decision = "default: no candidate screened faster";
            else
            {
                var comparison = ChoiceRule.Alternate(() => Clock(defaultChoice).Median(ScreeningRuns), () => Clock(fastest.Choice).Median(ScreeningRuns), ConfirmationPairs);
                if (comparison.ChallengerWins) chosen = fastest.Choice;
                decision = comparison.ChallengerWins
                    ? $"{fastest.Choice}: {comparison} of the default's time, alternating"
                    : $"default kept: {fastest.Choice} took {comparison} of its time, alternating: no gain beyond the noise";
            }
            return new TunedOp(Op, Shape, ToJson(chosen), DefaultChoice(gpu.Info),
                timed.Select(t => new CandidateTime($"{t.Choice}", t.Milliseconds, t.Choice.Equals(chosen))).ToArray(), decision);
        }
        finally
        {
            foreach (var clock in clocks.Values) clock.Dispose();
            foreach (var tensor in scratch) tensor.Dispose();
        }
    }
}

/// <summary>
/// How far a tuning looks: each variant at its default launch shape (quick: what `vae train` does
/// on first use), or also the launch shapes around those (`vae tune`).
/// </summary>
internal enum TuningSearch { Variants, LaunchShapes }

/// <summary>
/// One screened candidate: what it is, its median time (GPU timestamps, or process CPU time on a
/// CPU driver; its one run's when abandoned as too slow), whether it is the choice.
/// </summary>
internal sealed record CandidateTime(string Candidate, double Milliseconds, bool Chosen);

/// <summary>
/// An op tuned at one shape: its choice (the default's too), every screened candidate's time with
/// the default first, and why the choice was made.
/// </summary>
internal sealed record TunedOp(string Op, string Shape, JsonElement Choice, JsonElement Default, IReadOnlyList<CandidateTime> Candidates, string Decision)
{
    public string Key => $"{Op} {Shape}";

    public bool KeepsDefault => JsonElement.DeepEquals(Choice, Default);

    /// <summary>The same op with its default as the choice, for <paramref name="why"/>.</summary>
    public TunedOp WithDefault(string why) => this with
    {
        Choice = Default,
        Candidates = Candidates.Select((c, i) => c with { Chosen = i == 0 }).ToArray(),
        Decision = $"default kept: {why}",
    };
}
