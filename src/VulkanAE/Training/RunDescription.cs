using System.Reflection;
using System.Text.Json;
using VulkanAE.Models;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace VulkanAE.Training;

/// <summary>
/// run.yaml: what a run is, in a file a person can read and edit and `vae train --config` can
/// rerun: the model (a built-in name, or the text of its model file), the dataset, every training
/// option resolved to the value the run used, the seed, the kernel choices it ran with and the
/// VulkanAE version that wrote it. With model.safetensors beside it, it is all that the commands
/// reading a run need; only `vae train --resume` needs checkpoint.safetensors as well.
/// </summary>
internal sealed record RunDescription(TrainingOptions Options, IReadOnlyDictionary<string, JsonElement> KernelChoices, string Version)
{
    /// <summary>The version of the engine that writes a description: its assembly's informational version (with the commit).</summary>
    public static string EngineVersion { get; } = typeof(RunDescription).Assembly
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>
    /// The description of a run made with <paramref name="options"/>: epochs, batch and learning
    /// rate resolved from the model's defaults where they were left to it. Latent and hidden sizes
    /// stay as given (absent: the model's own, which its architecture line shows).
    /// </summary>
    public static RunDescription Of(TrainingOptions options, IReadOnlyDictionary<string, JsonElement> kernelChoices)
    {
        var defaults = options.Spec().Defaults;
        var resolved = options with
        {
            Epochs = options.Epochs ?? defaults.Epochs,
            BatchSize = options.BatchSize ?? defaults.BatchSize,
            LearningRate = options.LearningRate ?? defaults.LearningRate,
        };
        return new RunDescription(resolved, kernelChoices, EngineVersion);
    }

    public void Write(string path) => File.WriteAllText(path, ToYaml());

    public string ToYaml()
    {
        var o = Options;
        var file = new RunFile
        {
            Version = Version,
            Model = o.Model,
            Architecture = o.Spec().Description,
            ModelFile = o.ModelDeclaration,
            Dataset = o.Dataset,
            Seed = o.Seed,
            Epochs = o.Epochs,
            Batch = o.BatchSize,
            Lr = o.LearningRate,
            Latent = o.Latent,
            Hidden = o.Hidden?.ToList(),
            Beta = o.KlWeight,
            KlWarmup = o.KlWarmupEpochs,
            Noise = o.Noise,
            ClipGrad = o.ClipGradNorm,
            ValSplit = o.ValidationSplit,
            EarlyStop = o.EarlyStopPatience,
            LrSchedule = o.LearningRateSchedule,
            WarmupEpochs = o.WarmupEpochs,
            LrDecay = o.LearningRateDecay,
            LrStepEpochs = o.LearningRateStepEpochs,
            LrPatience = o.LearningRatePatience,
            Limit = o.Limit,
            Condition = o.Condition,
            ConditionClasses = o.ConditionClasses,
            ImageSize = o.ImageSize,
            Channels = o.Channels,
            Resize = o.Resize,
            Align = o.Align,
            TuneSeconds = o.TuneSeconds,
            DeviceDatasetMb = o.DeviceDatasetMegabytes,
            KernelChoices = new SortedDictionary<string, string>(
                KernelChoices.ToDictionary(c => c.Key, c => c.Value.GetRawText()), StringComparer.Ordinal),
        };
        return "# VulkanAE run description: `vae train --config run.yaml` reruns it (see README: A run directory).\n"
            + new SerializerBuilder()
                .WithNamingConvention(UnderscoredNamingConvention.Instance)
                .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull)
                .Build()
                .Serialize(file);
    }

    /// <summary>
    /// Reads a description back, trusting nothing: an unknown key, a value of the wrong type, a
    /// missing model or dataset, or an option `vae train` refuses is a <see cref="UserInputException"/>
    /// naming the file and the key. The options' output directory is <paramref name="outputDirectory"/>.
    /// </summary>
    public static RunDescription Read(string path, string outputDirectory)
    {
        if (!File.Exists(path)) throw new UserInputException($"{path} not found: a run description is written by `vae train` or `vae import`");
        RunFile? file;
        try
        {
            file = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build()
                .Deserialize<RunFile>(File.ReadAllText(path));
        }
        catch (YamlException e)
        {
            throw new UserInputException($"{path} line {e.Start.Line}: {(e.InnerException ?? e).Message}; fix the file or write it again with `vae train`", e);
        }
        UserInputException Wrong(string problem) => new($"{path}: {problem}");
        if (file is null) throw Wrong("empty: a run description names at least a model and a dataset");
        if (string.IsNullOrEmpty(file.Model)) throw Wrong("no 'model': name a built-in model or give a model_file");
        if (string.IsNullOrEmpty(file.Dataset)) throw Wrong("no 'dataset'");
        if (file.Problem() is { } problem) throw Wrong(problem);

        var options = new TrainingOptions(
            Model: file.Model,
            Dataset: file.Dataset,
            Epochs: file.Epochs,
            BatchSize: file.Batch,
            LearningRate: file.Lr,
            Seed: file.Seed,
            OutputDirectory: outputDirectory,
            Limit: file.Limit,
            Latent: file.Latent,
            Hidden: file.Hidden?.ToArray(),
            KlWeight: file.Beta,
            KlWarmupEpochs: file.KlWarmup,
            Noise: file.Noise,
            ModelDeclaration: file.ModelFile,
            ImageSize: file.ImageSize,
            Channels: file.Channels,
            Resize: file.Resize,
            Align: file.Align,
            ClipGradNorm: file.ClipGrad,
            TuneSeconds: file.TuneSeconds,
            ValidationSplit: file.ValSplit,
            EarlyStopPatience: file.EarlyStop,
            LearningRateSchedule: file.LrSchedule,
            WarmupEpochs: file.WarmupEpochs,
            LearningRateDecay: file.LrDecay,
            LearningRateStepEpochs: file.LrStepEpochs,
            LearningRatePatience: file.LrPatience,
            Condition: file.Condition,
            ConditionClasses: file.ConditionClasses,
            DeviceDatasetMegabytes: file.DeviceDatasetMb);
        ModelSpec spec;
        try
        {
            spec = options.Spec();
            spec.Validate();
        }
        catch (Exception e) when (e is ArgumentException or UserInputException)
        {
            throw Wrong($"describes no valid model ({e.Message})");
        }
        // Epochs, as batch and lr, resolve to the model's default when absent.
        options = options with { Epochs = options.Epochs ?? spec.Defaults.Epochs };

        var choices = new Dictionary<string, JsonElement>();
        foreach (var (key, json) in file.KernelChoices ?? [])
        {
            try
            {
                using var document = JsonDocument.Parse(json);
                choices[key] = document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw Wrong($"kernel choice '{key}' is not JSON ({e.Message}); delete it to run that op's default");
            }
        }
        return new RunDescription(options, choices, file.Version ?? "unknown");
    }

    /// <summary>The file's layout, key by key (underscored names); absent keys take the model's defaults or the option's.</summary>
    private sealed class RunFile
    {
        public string? Version { get; set; }
        public string? Model { get; set; }

        /// <summary>Written for the reader (the model's shape as built); not read back.</summary>
        public string? Architecture { get; set; }

        [YamlMember(ScalarStyle = ScalarStyle.Literal)]
        public string? ModelFile { get; set; }

        public string? Dataset { get; set; }
        public int Seed { get; set; } = 1;
        public int? Epochs { get; set; }
        public int? Batch { get; set; }
        public float? Lr { get; set; }
        public int? Latent { get; set; }
        public List<int>? Hidden { get; set; }
        public float Beta { get; set; } = 1f;
        public int KlWarmup { get; set; }
        public float Noise { get; set; }
        public float? ClipGrad { get; set; }
        public double ValSplit { get; set; }
        public int? EarlyStop { get; set; }
        public string LrSchedule { get; set; } = "constant";
        public int WarmupEpochs { get; set; }
        public float LrDecay { get; set; } = 0.1f;
        public int? LrStepEpochs { get; set; }
        public int LrPatience { get; set; } = 2;
        public int? Limit { get; set; }

        /// <summary>--condition: "labels" for a conditional VAE, with the number of classes its dataset had.</summary>
        public string? Condition { get; set; }

        public int? ConditionClasses { get; set; }
        public int? ImageSize { get; set; }
        public int? Channels { get; set; }
        public bool Resize { get; set; } = true;

        /// <summary>--align: "foreground" when the run's image folders are registered on their foreground as they load.</summary>
        public string? Align { get; set; }
        public double? TuneSeconds { get; set; }

        /// <summary>--device-dataset-mb: the numbers do not depend on it, but a rerun on the same device should fit the same memory.</summary>
        public int? DeviceDatasetMb { get; set; }

        public SortedDictionary<string, string>? KernelChoices { get; set; }

        /// <summary>The first key whose value `vae train` would refuse, named as in the file with what it must be; null when all fit.</summary>
        public string? Problem() => this switch
        {
            { Epochs: < 1 } => Key("epochs", Epochs, "at least 1"),
            { Batch: < 1 } => Key("batch", Batch, "at least 1"),
            { Lr: float lr } when !(float.IsFinite(lr) && lr > 0) => Key("lr", lr, "a positive number"),
            { Latent: < 1 } => Key("latent", Latent, "at least 1"),
            { Hidden: { } hidden } when hidden.Any(h => h < 1) => Key("hidden", $"[{string.Join(", ", hidden)}]", "widths of at least 1"),
            _ when !(float.IsFinite(Beta) && Beta >= 0) => Key("beta", Beta, "a number of 0 or more"),
            { KlWarmup: < 0 } => Key("kl_warmup", KlWarmup, "0 or more"),
            _ when !(float.IsFinite(Noise) && Noise >= 0) => Key("noise", Noise, "a number of 0 or more"),
            { ClipGrad: float clip } when !(float.IsFinite(clip) && clip > 0) => Key("clip_grad", clip, "a positive number"),
            _ when !(ValSplit >= 0 && ValSplit < 1) => Key("val_split", ValSplit, "0 (none), or a fraction between 0 and 1"),
            { EarlyStop: < 1 } => Key("early_stop", EarlyStop, "at least 1 epoch"),
            _ when !TrainingOptions.ScheduleNames.Contains(LrSchedule) => Key("lr_schedule", LrSchedule, $"one of {string.Join(", ", TrainingOptions.ScheduleNames)}"),
            { WarmupEpochs: < 0 } => Key("warmup_epochs", WarmupEpochs, "0 or more"),
            _ when !(LrDecay > 0 && LrDecay < 1) => Key("lr_decay", LrDecay, "a factor between 0 and 1"),
            { LrStepEpochs: < 1 } => Key("lr_step_epochs", LrStepEpochs, "at least 1"),
            { LrPatience: < 0 } => Key("lr_patience", LrPatience, "0 or more"),
            { Limit: < 1 } => Key("limit", Limit, "at least 1"),
            { ImageSize: < 1 } => Key("image_size", ImageSize, "at least 1"),
            { Channels: not (null or 1 or 3) } => Key("channels", Channels, "1 or 3"),
            { TuneSeconds: double t } when !(double.IsFinite(t) && t >= 0) => Key("tune_seconds", t, "a number of 0 or more"),
            { DeviceDatasetMb: < 1 } => Key("device_dataset_mb", DeviceDatasetMb, "at least 1 (MiB)"),
            { Condition: not (null or TrainingOptions.LabelCondition) } => Key("condition", Condition, $"'{TrainingOptions.LabelCondition}' or absent"),
            { Align: not (null or TrainingOptions.ForegroundAlign) } => Key("align", Align, $"'{TrainingOptions.ForegroundAlign}' or absent"),
            { ConditionClasses: < 2 } => Key("condition_classes", ConditionClasses, "at least 2"),
            { Condition: null, ConditionClasses: not null } => Key("condition_classes", ConditionClasses, "absent without a 'condition'"),
            _ => null,
        };

        private static string Key(string key, object? value, string must)
            => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"'{key}: {value}': it must be {must}");
    }
}
