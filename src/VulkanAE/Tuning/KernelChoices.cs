using System.Text.Json;
using VulkanAE.Core;

namespace VulkanAE.Tuning;

/// <summary>
/// A device's kernel choices, asked by the choice points (MatmulKernels.Multiply, ConvKernels) as
/// commands are recorded: the variant and launch shape of each tunable op at each shape. A choice
/// comes from what this table was given (a run's recorded choices, a tuning), else from the
/// <see cref="Cache"/>, else the op's built-in default, and then the op is noted as
/// <see cref="Missing"/>. Choices are stored as JSON, each op reading its own kind; one that does
/// not parse or that this device cannot run (a run recorded elsewhere) gives way to the default.
/// </summary>
internal sealed class KernelChoices
{
    private readonly Dictionary<string, JsonElement> _known = new();
    private readonly Dictionary<string, JsonElement> _chosen = new();
    private readonly OrderedDictionary<string, TunableOp> _asked = new();

    /// <summary>Where choices this table was not given are looked up; null: the built-in defaults.</summary>
    public KernelChoiceCache? Cache { get; set; }

    /// <summary>Every op asked for since the table was made, in the order first asked.</summary>
    public IEnumerable<TunableOp> Asked => _asked.Values;

    /// <summary>Ops asked for that got the built-in default for want of a choice: what tuning would add.</summary>
    public IEnumerable<TunableOp> Missing => _asked.Values.Where(op => !_known.ContainsKey(op.Key));

    /// <summary>
    /// Each key's choice as last given to the table or handed out by it, defaults included: what a
    /// run records, so that resuming repeats it (also where the resumed part never asks for a key).
    /// </summary>
    public IReadOnlyDictionary<string, JsonElement> Chosen => _chosen;

    /// <summary>Makes these the choices of their keys (a run's recorded ones, a tuning's results).</summary>
    public void Set(IEnumerable<KeyValuePair<string, JsonElement>> choices)
    {
        foreach (var (key, choice) in choices) _known[key] = _chosen[key] = choice;
    }

    public TChoice Choose<TChoice>(DeviceInfo device, TunableOp<TChoice> op) where TChoice : struct
    {
        _asked.TryAdd(op.Key, op);
        var choice = Known(device, op) ?? op.Default(device);
        _chosen[op.Key] = op.ToJson(choice);
        return choice;
    }

    private TChoice? Known<TChoice>(DeviceInfo device, TunableOp<TChoice> op) where TChoice : struct
    {
        if (!_known.TryGetValue(op.Key, out var json))
        {
            if (Cache?.Find(op) is not { } cached) return null;
            _known[op.Key] = json = cached;
        }
        if (TunableOp<TChoice>.FromJson(json) is { } choice && op.CanRun(device, choice)) return choice;
        _known.Remove(op.Key);
        return null;
    }
}
