using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using VulkanAE.Benchmarks;
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

    /// <summary>
    /// Times every candidate on scratch tensors of this shape (the default first) until
    /// <paramref name="deadline"/>; null when the deadline came first.
    /// </summary>
    public abstract TunedOp? Tune(Gpu gpu, TuningSearch search, DateTime deadline);
}

/// <summary>
/// A tunable op whose choice is a <typeparamref name="TChoice"/> (a variant and its launch shape):
/// the built-in default, the candidates worth timing on a device, and how to run one of them on
/// scratch tensors, so tuning never touches a model's own.
/// </summary>
internal abstract class TunableOp<TChoice> : TunableOp where TChoice : struct
{
    /// <summary>
    /// Timed runs per candidate: up to <see cref="Repeats"/> within <see cref="CandidateMilliseconds"/>
    /// of GPU time, at least <see cref="MinimumRuns"/>, so that the median passes over one run slowed
    /// by another process.
    /// </summary>
    private const int Repeats = 5, MinimumRuns = 3;
    private const double CandidateMilliseconds = 25;

    /// <summary>A candidate must beat the default by this much to replace it: less is timing noise.</summary>
    private const double Margin = 0.95;

    /// <summary>The choice this device makes without measurements: the kernels' built-in default.</summary>
    public abstract TChoice Default(DeviceInfo device);

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

    public override TunedOp? Tune(Gpu gpu, TuningSearch search, DateTime deadline)
    {
        var scratch = CreateScratch(gpu, new Random(1));
        try
        {
            var timed = new List<(TChoice Choice, double Milliseconds)>();
            double best = double.PositiveInfinity;
            foreach (var candidate in Candidates(gpu.Info, search).Distinct())
            {
                if (DateTime.UtcNow > deadline) return null;
                // A candidate already twice as slow as the best after one run is not run again.
                double ms = KernelTiming.MedianMilliseconds(gpu, $"tune {Key}", r => Record(r, candidate, scratch),
                    Repeats, CandidateMilliseconds, MinimumRuns, giveUpAbove: 2 * best);
                timed.Add((candidate, ms));
                best = Math.Min(best, ms);
            }
            var fastest = timed.MinBy(t => t.Milliseconds);
            var chosen = fastest.Milliseconds < Margin * timed[0].Milliseconds ? fastest.Choice : timed[0].Choice;
            return new TunedOp(Op, Shape, ToJson(chosen),
                timed.Select(t => new CandidateTime($"{t.Choice}", t.Milliseconds, t.Choice.Equals(chosen))).ToArray());
        }
        finally
        {
            foreach (var tensor in scratch) tensor.Dispose();
        }
    }
}

/// <summary>
/// How far a tuning looks: each variant at its default launch shape (quick: what `vae train` does
/// on first use), or also the launch shapes around those (`vae tune`).
/// </summary>
internal enum TuningSearch { Variants, LaunchShapes }

/// <summary>One timed candidate: what it is, its median GPU time (or its one run's, when abandoned as too slow), whether it was chosen.</summary>
internal sealed record CandidateTime(string Candidate, double Milliseconds, bool Chosen);

/// <summary>An op tuned at one shape: its choice, and every candidate's time with the default first.</summary>
internal sealed record TunedOp(string Op, string Shape, JsonElement Choice, IReadOnlyList<CandidateTime> Candidates)
{
    public string Key => $"{Op} {Shape}";
}
