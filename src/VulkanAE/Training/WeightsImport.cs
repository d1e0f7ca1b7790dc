using VulkanAE.Core;
using VulkanAE.IO;

namespace VulkanAE.Training;

/// <summary>
/// `vae import`: a run directory (run.yaml and model.safetensors) made from weights trained
/// elsewhere, e.g. a PyTorch state_dict saved with safetensors, so that every command that reads
/// a run (evaluate, reconstruct, sample, view, export...) can use them. Nothing is written until
/// every tensor has been checked against the model: name, shape, dtype, finite values.
/// </summary>
internal static class WeightsImport
{
    /// <param name="options">The model (built-in with its --latent/--hidden, or a declaration), the dataset it is for, and the output directory.</param>
    public static void Run(string weightsPath, TrainingOptions options, bool overwrite)
    {
        TrainingRun.CheckOutput(options.OutputDirectory, overwrite);
        if (!File.Exists(weightsPath)) throw new UserInputException($"{weightsPath} not found: give a .safetensors file of the model's weights");
        var weights = Safetensors.Read(weightsPath);
        using (var gpu = new Gpu(new GpuOptions(options.Device)))
        using (var model = options.Spec().Build(gpu, maxRows: 1, options.Seed))
        {
            ModelWeights.Check(weights, model);
            foreach (var p in model.Parameters) ModelWeights.FiniteFloats(weights, p.Name, p.Shape);
        }
        if (overwrite) TrainingRun.ClearOutput(options.OutputDirectory);
        Directory.CreateDirectory(options.OutputDirectory);
        var metadata = new Dictionary<string, string> { ["model"] = options.Model, ["dataset"] = options.Dataset, ["imported_from"] = Path.GetFullPath(weightsPath) };
        Safetensors.Write(Path.Combine(options.OutputDirectory, RunDirectory.WeightsFile), weights.Tensors, metadata);
        RunDescription.Of(options, new Dictionary<string, System.Text.Json.JsonElement>()).Write(Path.Combine(options.OutputDirectory, RunDirectory.DescriptionFile));
    }
}
