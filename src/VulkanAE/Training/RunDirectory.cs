using System.Globalization;
using System.Text;
using System.Text.Json;
using VulkanAE.IO;
using VulkanAE.Models;

namespace VulkanAE.Training;

/// <summary>
/// The files of a run directory. run.yaml describes the run (<see cref="RunDescription"/>);
/// model.safetensors holds the weights alone, named and shaped as PyTorch's state_dict, so torch
/// can load them: these two are the model, which every command that uses one reads.
/// checkpoint.safetensors adds Adam's moments and, in its metadata, the options, the epoch, the
/// optimizer step and the kernel choices (also in kernel_choices.json), which is all a resumed run
/// needs to repeat an uninterrupted one; only `vae train --resume` reads it.
/// </summary>
internal static class RunDirectory
{
    public const string MetricsFile = "metrics.csv";
    public const string WeightsFile = "model.safetensors";
    public const string BestWeightsFile = "model.best.safetensors";
    public const string BestEpochKey = "vulkanae.best_epoch";
    public const string CheckpointFile = "checkpoint.safetensors";
    public const string ReconstructionsFile = "reconstructions.png";
    public const string ReconstructionTableFile = "reconstructions.csv";
    public const string LossCurveFile = "loss_curve.png";
    public const string SamplesFile = "samples.png";
    public const string SamplesByClassFile = "samples_by_class.png";
    public const string LatentGridFile = "latent_grid.png";
    public const string LatentScatterFile = "latent_scatter.png";
    public const string KernelChoicesFile = "kernel_choices.json";
    public const string DescriptionFile = "run.yaml";

    /// <summary>The files whose presence says a folder holds a run (what `vae train --out` refuses to mix with another).</summary>
    public static IReadOnlyList<string> RunFiles { get; } = [DescriptionFile, WeightsFile, CheckpointFile, MetricsFile];

    private const string FirstMomentSuffix = ".adam_m";
    private const string SecondMomentSuffix = ".adam_v";

    /// <summary>
    /// A checkpoint read back: how the run was made, how many epochs it completed, the optimizer
    /// step, where a stopped epoch stands (if it was stopped within one), the kernel choices it ran
    /// with (none from before they were recorded: it ran the built-in defaults), and its tensors.
    /// </summary>
    public sealed record Checkpoint(TrainingOptions Options, int Epoch, uint OptimizerStep, EpochPosition? Partial,
        IReadOnlyDictionary<string, JsonElement> KernelChoices, SafetensorsContent Content);

    /// <summary>
    /// Writes the weights, the checkpoint, metrics.csv with the epochs of <paramref name="history"/>,
    /// the kernel choices the run used (op and shape -> variant and launch shape), which also go
    /// into the checkpoint: a resumed run repeats them, and the epoch's <paramref name="pictures"/>.
    /// They are one generation (see <see cref="RunGeneration"/>): whatever stops the process, they
    /// describe the same epoch. With a validation set, the weights and the checkpoint name the epoch
    /// of the best validation loss so far, and when that is this epoch, model.best.safetensors (the
    /// same weights) joins the generation; a save within an epoch (<paramref name="partial"/>) leaves
    /// it alone. Weights or Adam moments that are not all finite are never saved: the run has
    /// diverged (<see cref="TrainingDivergedException"/>), and the last finite generation stays.
    /// </summary>
    public static void Save(string directory, Autoencoder model, TrainingOptions options, int epoch, uint optimizerStep,
        IReadOnlyDictionary<string, JsonElement> kernelChoices, IReadOnlyList<EpochMetrics> history,
        IReadOnlyList<(string File, byte[] Content)>? pictures = null, EpochPosition? partial = null)
    {
        float[] Finite(string name, float[] values)
        {
            int nonFinite = values.Count(v => !float.IsFinite(v));
            return nonFinite == 0 ? values : throw new TrainingDivergedException($"after epoch {epoch}, {name} holds {nonFinite} values that are NaN or infinite: "
                + "the run diverged and this state is not saved; the run directory keeps its last finite checkpoint. Train again with a lower --lr, or with --clip-grad");
        }
        var weights = model.Parameters.ToDictionary(p => p.Name, p => SafetensorsTensor.FromFloats(Finite(p.Name, p.Value.ToArray()), p.Shape));
        var metadata = new Dictionary<string, string>
        {
            ["model"] = options.Model,
            ["dataset"] = options.Dataset,
            [CheckpointMetadata.EpochKey] = epoch.ToString(CultureInfo.InvariantCulture),
        };
        int? bestEpoch = EarlyStopping.BestEpoch(history);
        if (bestEpoch is int best) metadata[BestEpochKey] = best.ToString(CultureInfo.InvariantCulture);
        byte[] weightsFile = Safetensors.Serialize(weights, metadata);
        (string File, Action<Stream> Write)[] bestWeights = partial is null && bestEpoch == epoch
            ? [(BestWeightsFile, stream => stream.Write(weightsFile))]
            : [];

        var state = new Dictionary<string, SafetensorsTensor>(weights);
        foreach (var p in model.Parameters)
        {
            state[p.Name + FirstMomentSuffix] = SafetensorsTensor.FromFloats(Finite(p.Name + FirstMomentSuffix, p.FirstMoment.ToArray()), p.Shape);
            state[p.Name + SecondMomentSuffix] = SafetensorsTensor.FromFloats(Finite(p.Name + SecondMomentSuffix, p.SecondMoment.ToArray()), p.Shape);
        }
        new CheckpointMetadata(options, epoch, optimizerStep, partial, kernelChoices).WriteTo(metadata);
        byte[] checkpointFile = Safetensors.Serialize(state, metadata);
        var termNames = model.LossTerms.Count > 1 ? model.LossTerms : [];
        RunGeneration.Commit(directory,
        [
            (MetricsFile, stream => stream.Write(Encoding.UTF8.GetBytes(EpochMetrics.Csv(termNames, options.ValidationSplit > 0, history)))),
            (WeightsFile, stream => stream.Write(weightsFile)),
            .. bestWeights,
            (CheckpointFile, stream => stream.Write(checkpointFile)),
            (KernelChoicesFile, stream => stream.Write(Encoding.UTF8.GetBytes(CheckpointMetadata.Serialize(kernelChoices)))),
            (DescriptionFile, stream => stream.Write(Encoding.UTF8.GetBytes(RunDescription.Of(options, kernelChoices).ToYaml()))),
            .. (pictures ?? []).Select(p => (p.File, (Action<Stream>)(stream => stream.Write(p.Content)))),
        ]);
    }

    /// <summary>
    /// The checkpoint of the run in <paramref name="directory"/>, its metadata checked (see
    /// <see cref="CheckpointMetadata.Read"/>). A generation a killed run committed but did not put in
    /// place is put in place first, unless a training holds the directory (it is its own to finish).
    /// </summary>
    public static Checkpoint Load(string directory)
    {
        if (File.Exists(Path.Combine(directory, RunGeneration.JournalFile)))
        {
            using var runLock = RunLock.TryAcquire(directory);
            if (runLock is not null) RunGeneration.Recover(directory);
        }
        var path = Path.Combine(directory, CheckpointFile);
        if (!File.Exists(path))
            throw new UserInputException($"{path} not found: is {directory} a run directory written by `vae train`? (A run stopped before its first checkpoint was saved has none: start it again.)");
        var content = Safetensors.Read(path);
        var metadata = CheckpointMetadata.Read(path, content.Metadata);
        return new Checkpoint(metadata.Options, metadata.Epoch, metadata.OptimizerStep, metadata.Partial,
            metadata.KernelChoices ?? new Dictionary<string, JsonElement>(), content);
    }

    /// <summary>
    /// Copies the checkpoint's weights (and, for resuming, Adam's moments) into the model on the
    /// device, each checked for its type, shape and finite values first.
    /// </summary>
    public static void Restore(Autoencoder model, Checkpoint checkpoint, bool optimizerState)
    {
        ModelWeights.Upload(checkpoint.Content, model);
        if (!optimizerState) return;
        foreach (var p in model.Parameters)
        {
            p.FirstMoment.Upload<float>(ModelWeights.FiniteFloats(checkpoint.Content, p.Name + FirstMomentSuffix, p.Shape));
            p.SecondMoment.Upload<float>(ModelWeights.FiniteFloats(checkpoint.Content, p.Name + SecondMomentSuffix, p.Shape));
        }
    }

    /// <summary>A run's model as the commands that use one read it: run.yaml's description and model.safetensors's weights.</summary>
    public sealed record SavedModel(RunDescription Description, SafetensorsContent Weights);

    /// <summary>
    /// run.yaml and model.safetensors of <paramref name="directory"/>; the weights are checked against
    /// the model when it is built. A run from before run.yaml existed is described by its checkpoint.
    /// </summary>
    public static SavedModel LoadModel(string directory)
    {
        if (!Directory.Exists(directory)) throw new UserInputException($"{directory}: no such run directory");
        string descriptionPath = Path.Combine(directory, DescriptionFile);
        RunDescription description;
        if (!File.Exists(descriptionPath) && File.Exists(Path.Combine(directory, CheckpointFile)))
        {
            var checkpoint = Load(directory);
            description = new RunDescription(checkpoint.Options with { OutputDirectory = directory }, checkpoint.KernelChoices, "unknown");
        }
        else
            description = RunDescription.Read(descriptionPath, directory);
        var weightsPath = Path.Combine(directory, WeightsFile);
        if (!File.Exists(weightsPath))
            throw new UserInputException($"{weightsPath} not found: a run directory holds {DescriptionFile} and {WeightsFile} (`vae train` or `vae import` write them)");
        return new SavedModel(description, Safetensors.Read(weightsPath));
    }

    /// <summary>
    /// When model.safetensors and checkpoint.safetensors of a run hold different weights (one of
    /// them was replaced), a line saying which one the caller uses; null when they agree or one is absent.
    /// </summary>
    public static string? WeightsDisagreement(string directory, Autoencoder model, bool resuming)
    {
        string weightsPath = Path.Combine(directory, WeightsFile), checkpointPath = Path.Combine(directory, CheckpointFile);
        if (!File.Exists(weightsPath) || !File.Exists(checkpointPath)) return null;
        var differing = ModelWeights.FirstDifference(Safetensors.Read(weightsPath), Safetensors.Read(checkpointPath), model.Parameters.Select(p => p.Name));
        if (differing is null) return null;
        return resuming
            ? $"{WeightsFile} and {CheckpointFile} hold different weights (first: '{differing}'): resuming from {CheckpointFile}, whose Adam moments belong to its own weights"
            : $"{WeightsFile} and {CheckpointFile} hold different weights (first: '{differing}'): using {WeightsFile}; only `vae train --resume` reads the checkpoint";
    }
}
