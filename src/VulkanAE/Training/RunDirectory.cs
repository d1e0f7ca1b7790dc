using System.Globalization;
using System.Text.Json;
using VulkanAE.IO;
using VulkanAE.Models;

namespace VulkanAE.Training;

/// <summary>
/// The files of a run directory. model.safetensors holds the weights alone, named and shaped as
/// PyTorch's state_dict, so torch can load them; checkpoint.safetensors adds Adam's moments and,
/// in its metadata, the options, the epoch and the optimizer step, which is all a resumed run
/// needs to repeat an uninterrupted one.
/// </summary>
internal static class RunDirectory
{
    public const string MetricsFile = "metrics.csv";
    public const string WeightsFile = "model.safetensors";
    public const string CheckpointFile = "checkpoint.safetensors";
    public const string ReconstructionsFile = "reconstructions.png";
    public const string ReconstructionTableFile = "reconstructions.csv";
    public const string LossCurveFile = "loss_curve.png";
    public const string SamplesFile = "samples.png";
    public const string LatentGridFile = "latent_grid.png";
    public const string LatentScatterFile = "latent_scatter.png";

    private const string OptionsKey = "vulkanae.options";
    private const string EpochKey = "vulkanae.epoch";
    private const string OptimizerStepKey = "vulkanae.optimizer_step";
    private const string PartialEpochKey = "vulkanae.partial_epoch";
    private const string FirstMomentSuffix = ".adam_m";
    private const string SecondMomentSuffix = ".adam_v";

    /// <summary>
    /// A checkpoint read back: how the run was made, how many epochs it completed, the optimizer
    /// step, where a stopped epoch stands (if it was stopped within one), and its tensors.
    /// </summary>
    public sealed record Checkpoint(TrainingOptions Options, int Epoch, uint OptimizerStep, EpochPosition? Partial, SafetensorsContent Content);

    public static void Save(string directory, Autoencoder model, TrainingOptions options, int epoch, uint optimizerStep, EpochPosition? partial = null)
    {
        var weights = model.Parameters.ToDictionary(p => p.Name, p => SafetensorsTensor.FromFloats(p.Value.ToArray(), p.Shape));
        var metadata = new Dictionary<string, string>
        {
            ["model"] = options.Model,
            ["dataset"] = options.Dataset,
            [EpochKey] = epoch.ToString(CultureInfo.InvariantCulture),
        };
        Safetensors.Write(Path.Combine(directory, WeightsFile), weights, metadata);

        var state = new Dictionary<string, SafetensorsTensor>(weights);
        foreach (var p in model.Parameters)
        {
            state[p.Name + FirstMomentSuffix] = SafetensorsTensor.FromFloats(p.FirstMoment.ToArray(), p.Shape);
            state[p.Name + SecondMomentSuffix] = SafetensorsTensor.FromFloats(p.SecondMoment.ToArray(), p.Shape);
        }
        metadata[OptionsKey] = JsonSerializer.Serialize(options);
        metadata[OptimizerStepKey] = optimizerStep.ToString(CultureInfo.InvariantCulture);
        if (partial is not null) metadata[PartialEpochKey] = JsonSerializer.Serialize(partial);
        Safetensors.Write(Path.Combine(directory, CheckpointFile), state, metadata);
    }

    public static Checkpoint Load(string directory)
    {
        var path = Path.Combine(directory, CheckpointFile);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path} not found: is {directory} a run directory written by `vae train`?", path);
        var content = Safetensors.Read(path);
        string Required(string key) => content.Metadata.TryGetValue(key, out var value)
            ? value
            : throw new InvalidDataException($"{path}: metadata has no '{key}'; the file was not written by `vae train`.");
        var options = JsonSerializer.Deserialize<TrainingOptions>(Required(OptionsKey))
            ?? throw new InvalidDataException($"{path}: unreadable '{OptionsKey}'");
        var partial = content.Metadata.TryGetValue(PartialEpochKey, out var position) ? JsonSerializer.Deserialize<EpochPosition>(position) : null;
        return new Checkpoint(options, int.Parse(Required(EpochKey), CultureInfo.InvariantCulture),
            uint.Parse(Required(OptimizerStepKey), CultureInfo.InvariantCulture), partial, content);
    }

    /// <summary>Copies the checkpoint's weights (and, for resuming, Adam's moments) into the model on the device.</summary>
    public static void Restore(Autoencoder model, Checkpoint checkpoint, bool optimizerState)
    {
        foreach (var p in model.Parameters)
        {
            p.Value.Upload<float>(checkpoint.Content.Tensor(p.Name, p.Shape).ToFloats());
            if (!optimizerState) continue;
            p.FirstMoment.Upload<float>(checkpoint.Content.Tensor(p.Name + FirstMomentSuffix, p.Shape).ToFloats());
            p.SecondMoment.Upload<float>(checkpoint.Content.Tensor(p.Name + SecondMomentSuffix, p.Shape).ToFloats());
        }
    }
}
