using System.CommandLine;
using VulkanAE.Models;
using VulkanAE.Training;

namespace VulkanAE.Cli;

/// <summary>`vae import WEIGHTS --model M --out DIR`: a run directory from weights trained elsewhere.</summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var weights = new Argument<string>("weights") { Description = "A .safetensors file whose tensors are named and shaped as the model's PyTorch state_dict" };
        var model = new Option<string>("--model") { Description = "Built-in model the weights belong to", DefaultValueFactory = _ => "fc-ae" };
        model.AcceptOnlyFromAmong(ModelCatalog.Names.ToArray());
        var modelFile = new Option<string?>("--model-file") { Description = "A model declared in a text file instead (README: Declaring a model)" };
        var latent = new Option<int?>("--latent") { Description = "Latent size of the built-in model, as in `vae train`" };
        var hidden = new Option<string?>("--hidden") { Description = "Hidden widths of the built-in model, comma-separated, as in `vae train`" };
        var dataset = new Option<string>("--dataset") { Description = "The dataset the model is for (evaluate, reconstruct... read it)", DefaultValueFactory = _ => "mnist" };
        var output = new Option<string>("--out") { Description = "Run directory to write: run.yaml and model.safetensors", Required = true };
        var overwrite = new Option<bool>("--overwrite") { Description = "Write into an --out that already holds a run: everything in it is deleted first" };
        var device = new Option<int?>("--device") { Description = "Vulkan device index from `vae devices` (the model is built there to check the weights)" };
        var command = new Command("import", "Make a run directory from foreign weights, checking every tensor's name, shape and dtype against the model.")
        {
            weights, model, modelFile, latent, hidden, dataset, output, overwrite, device,
        };
        command.SetAction(parse =>
        {
            var (name, declaration) = parse.GetValue(modelFile) is string file ? TrainCommand.DeclaredModel(file) : (parse.GetValue(model)!, null);
            var options = new TrainingOptions(Model: name, ModelDeclaration: declaration, Dataset: parse.GetValue(dataset)!, OutputDirectory: parse.GetValue(output)!,
                Device: parse.GetValue(device), Latent: parse.GetValue(latent), Hidden: TrainCommand.ParseWidths(parse.GetValue(hidden)));
            WeightsImport.Run(parse.GetValue(weights)!, options, parse.GetValue(overwrite));
            Console.WriteLine($"wrote {Path.Combine(options.OutputDirectory, RunDirectory.DescriptionFile)} and {Path.Combine(options.OutputDirectory, RunDirectory.WeightsFile)}");
            return 0;
        });
        return command;
    }
}
