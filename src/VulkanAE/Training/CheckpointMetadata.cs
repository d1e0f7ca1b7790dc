using System.Globalization;
using System.Text.Json;

namespace VulkanAE.Training;

/// <summary>
/// What checkpoint.safetensors says in its metadata besides the tensors: the options the run was
/// made with, the epochs it completed, Adam's step, for a run stopped within an epoch where it
/// stands, and the kernel choices it ran with (op and shape -> variant and launch shape; null in a
/// checkpoint from before they were recorded, which ran the built-in defaults). <see cref="Read"/> trusts nothing: every field is parsed and range-checked, and a
/// wrong one is a <see cref="UserInputException"/> naming the file, the field and the fix.
/// </summary>
internal sealed record CheckpointMetadata(TrainingOptions Options, int Epoch, uint OptimizerStep, EpochPosition? Partial,
    IReadOnlyDictionary<string, JsonElement>? KernelChoices = null)
{
    public const string OptionsKey = "vulkanae.options";
    public const string EpochKey = "vulkanae.epoch";
    public const string OptimizerStepKey = "vulkanae.optimizer_step";
    public const string PartialEpochKey = "vulkanae.partial_epoch";
    public const string KernelChoicesKey = "vulkanae.kernel_choices";

    private const string Damaged = "the checkpoint is damaged or was not written by `vae train`: train the run again";

    public void WriteTo(IDictionary<string, string> metadata)
    {
        metadata[OptionsKey] = JsonSerializer.Serialize(Options);
        metadata[EpochKey] = Epoch.ToString(CultureInfo.InvariantCulture);
        metadata[OptimizerStepKey] = OptimizerStep.ToString(CultureInfo.InvariantCulture);
        if (Partial is not null) metadata[PartialEpochKey] = JsonSerializer.Serialize(Partial);
        if (KernelChoices is not null) metadata[KernelChoicesKey] = Serialize(KernelChoices);
    }

    /// <summary>Kernel choices as a run records them (here and in kernel_choices.json): by key, indented.</summary>
    public static string Serialize(IReadOnlyDictionary<string, JsonElement> kernelChoices)
        => JsonSerializer.Serialize(new SortedDictionary<string, JsonElement>(kernelChoices.ToDictionary(), StringComparer.Ordinal),
            new JsonSerializerOptions { WriteIndented = true });

    /// <param name="source">The checkpoint's path, named in every error.</param>
    public static CheckpointMetadata Read(string source, IReadOnlyDictionary<string, string> metadata)
    {
        UserInputException Wrong(string key, string problem) => new($"{source}: metadata '{key}' {problem}; {Damaged}");
        string Required(string key) => metadata.TryGetValue(key, out var value) ? value : throw Wrong(key, "is missing");

        var options = ReadOptions(Required(OptionsKey), problem => Wrong(OptionsKey, problem));

        var epochText = Required(EpochKey);
        if (!int.TryParse(epochText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int epoch))
            throw Wrong(EpochKey, $"is '{epochText}', not a whole number");
        if (epoch < 0) throw Wrong(EpochKey, $"is {epoch}; a run has completed 0 epochs or more");
        if (epoch > options.Epochs) throw Wrong(EpochKey, $"is {epoch}, past the {options.Epochs} epochs the run was asked for");

        var stepText = Required(OptimizerStepKey);
        if (!uint.TryParse(stepText, NumberStyles.None, CultureInfo.InvariantCulture, out uint step))
            throw Wrong(OptimizerStepKey, $"is '{stepText}', not a whole number from 0 to {uint.MaxValue}");

        EpochPosition? partial = null;
        if (metadata.TryGetValue(PartialEpochKey, out var position))
            partial = ReadPosition(position, epoch, problem => Wrong(PartialEpochKey, problem));
        long stepsAtLeast = (long)epoch + (partial?.Step ?? 0);
        if (step < stepsAtLeast)
            throw Wrong(OptimizerStepKey, $"is {step}, fewer than the {stepsAtLeast} steps {epoch} epochs{(partial is null ? "" : " and a partial one")} take at least");
        Dictionary<string, JsonElement>? choices = null;
        if (metadata.TryGetValue(KernelChoicesKey, out var recorded))
            choices = ReadKernelChoices(recorded, problem => Wrong(KernelChoicesKey, problem));
        return new CheckpointMetadata(options, epoch, step, partial, choices);
    }

    /// <summary>An object of choices by key; what each choice says is its op's to read (one it cannot read runs the default).</summary>
    private static Dictionary<string, JsonElement> ReadKernelChoices(string json, Func<string, UserInputException> wrong)
    {
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json) ?? throw wrong("is null, not a JSON object of kernel choices");
        }
        catch (JsonException e)
        {
            throw wrong($"is not the JSON object of kernel choices ({e.Message})");
        }
    }

    private static TrainingOptions ReadOptions(string json, Func<string, UserInputException> wrong)
    {
        TrainingOptions? options;
        try
        {
            options = JsonSerializer.Deserialize<TrainingOptions>(json);
        }
        catch (JsonException e)
        {
            throw wrong($"is not the JSON object of training options ({e.Message})");
        }
        if (options is null) throw wrong("is null, not a JSON object of training options");
        var problem = OptionsProblem(options);
        if (problem is not null) throw wrong(problem);
        try
        {
            options.Spec().Validate();
        }
        catch (Exception e) when (e is ArgumentException or UserInputException)
        {
            throw wrong($"describes no valid model ({e.Message})");
        }
        return options;
    }

    /// <summary>The first option a checkpoint cannot hold (what `vae train` refuses, or a JSON null where a value belongs), or null.</summary>
    internal static string? OptionsProblem(TrainingOptions o) => o switch
    {
        { Model: null or "" } => "has no Model",
        { Dataset: null or "" } => "has no Dataset",
        { OutputDirectory: null } => "has no OutputDirectory",
        { Epochs: null } => "has no Epochs",
        { Epochs: < 1 } => $"has Epochs {o.Epochs}; it must be at least 1",
        { BatchSize: < 1 } => $"has BatchSize {o.BatchSize}; it must be at least 1",
        { LearningRate: float lr } when !(float.IsFinite(lr) && lr > 0) => $"has LearningRate {lr}; it must be a positive number",
        { Limit: < 1 } => $"has Limit {o.Limit}; it must be at least 1",
        { Latent: < 1 } => $"has Latent {o.Latent}; it must be at least 1",
        { Hidden: int[] hidden } when hidden.Any(h => h < 1) => "has a Hidden width below 1",
        { KlWarmupEpochs: < 0 } => $"has KlWarmupEpochs {o.KlWarmupEpochs}; it must be 0 or more",
        _ when !(float.IsFinite(o.KlWeight) && o.KlWeight >= 0) => $"has KlWeight {o.KlWeight}; it must be a number of 0 or more",
        _ when !(float.IsFinite(o.Noise) && o.Noise >= 0) => $"has Noise {o.Noise}; it must be a number of 0 or more",
        { ImageSize: < 1 } => $"has ImageSize {o.ImageSize}; it must be at least 1",
        { Channels: not (null or 1 or 3) } => $"has Channels {o.Channels}; it must be 1 or 3",
        { TuneSeconds: double t } when !(double.IsFinite(t) && t >= 0) => $"has TuneSeconds {t}; it must be a number of 0 or more",
        { DeviceDatasetMegabytes: < 1 } => $"has DeviceDatasetMegabytes {o.DeviceDatasetMegabytes}; it must be at least 1",
        { Condition: not (null or TrainingOptions.LabelCondition) } => $"has Condition '{o.Condition}'; it must be '{TrainingOptions.LabelCondition}' or absent",
        { ConditionClasses: < 2 } => $"has ConditionClasses {o.ConditionClasses}; a condition needs at least 2 classes",
        { Condition: null, ConditionClasses: not null } => "has ConditionClasses without a Condition",
        _ => null,
    };

    private static EpochPosition ReadPosition(string json, int epoch, Func<string, UserInputException> wrong)
    {
        EpochPosition? position;
        try
        {
            position = JsonSerializer.Deserialize<EpochPosition>(json);
        }
        catch (JsonException e)
        {
            throw wrong($"is not the JSON object of an epoch position ({e.Message})");
        }
        return position switch
        {
            null => throw wrong("is null, not a JSON object of an epoch position"),
            { Epoch: var e } when e != epoch + 1 => throw wrong($"stands in epoch {e}, but the checkpoint completed {epoch}: it can only be within epoch {epoch + 1}"),
            { Step: < 1 } => throw wrong($"stands at step {position.Step}; a stopped epoch has done at least one step"),
            { LossSums: null or [] } => throw wrong("has no LossSums"),
            { LossSums: var sums } when !sums.All(float.IsFinite) => throw wrong("has a loss sum that is not a finite number"),
            _ => position,
        };
    }
}
