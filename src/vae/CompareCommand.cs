using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using VulkanAE.Models;
using VulkanAE.Training;

namespace VulkanAE.Cli;

/// <summary>`vae compare`: several models and noise levels trained alike, their loss curves on one chart.</summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var models = new Option<string>("--models") { Description = "Models to compare, comma-separated (e.g. fc-ae,conv-ae)", DefaultValueFactory = _ => "conv-ae" };
        var noises = new Option<string>("--noise")
        {
            Description = "Noise factors, comma-separated: 0 trains a plain autoencoder, above 0 a denoising one (e.g. 0,0.3,0.6)",
            DefaultValueFactory = _ => "0",
        };
        var dataset = new Option<string>("--dataset") { Description = "Dataset under data/ (mnist or fashion-mnist), as `vae train` takes it", DefaultValueFactory = _ => "mnist" };
        var epochs = new Option<int>("--epochs") { Description = "Epochs for every configuration", DefaultValueFactory = _ => 3 };
        var batch = new Option<int?>("--batch") { Description = "Images per step (default: each model's)" };
        var latent = new Option<int?>("--latent") { Description = "Latent or code size of every model that has one (e.g. 2 to compare fc-ae and fc-vae latent layouts)" };
        var seed = new Option<int>("--seed") { Description = "Seed shared by all configurations", DefaultValueFactory = _ => 1 };
        var limit = new Option<int?>("--limit") { Description = "Use only the first N images of the training and test sets" };
        var device = new Option<int?>("--device") { Description = "Vulkan device index from `vae devices`" };
        var output = new Option<string>("--out") { Description = "Directory for the comparison and one run directory per configuration", DefaultValueFactory = _ => "runs/compare" };
        var command = new Command("compare", "Train several models or noise levels alike and plot their train and test loss per epoch on one chart "
            + "(comparison.png and .svg, comparison.csv; denoising.png and .svg show noisy input / output / clean target). "
            + "Every model is also measured alike whatever its loss (comparison_reconstruction.csv: test BCE and MSE per pixel), "
            + "its decoder given prior draws N(0, I) (comparison_samples.png) and its latent layout beside the others' (comparison_latents.png): "
            + "e.g. --models fc-ae,fc-vae --latent 2 for an autoencoder against a VAE.")
        {
            models, noises, dataset, epochs, batch, latent, seed, limit, device, output,
        };
        command.SetAction(parse =>
        {
            var modelNames = parse.GetValue(models)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            foreach (var name in modelNames)
                if (!ModelCatalog.Create(name, new ModelOptions(parse.GetValue(latent))).Reconstructs)
                    throw new ArgumentException($"--models: {name} is a CutPaste classifier; compare compares reconstructions: train it with `vae train --model {name}`");
            var noiseFactors = parse.GetValue(noises)!.Split(',', StringSplitOptions.TrimEntries).Select(text =>
                float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && f >= 0
                    ? f
                    : throw new ArgumentException($"--noise: '{text}' is not a non-negative number")).ToArray();
            var template = new TrainingOptions(Dataset: parse.GetValue(dataset)!, Epochs: parse.GetValue(epochs), BatchSize: parse.GetValue(batch), Latent: parse.GetValue(latent),
                Seed: parse.GetValue(seed), Limit: parse.GetValue(limit), Device: parse.GetValue(device));
            string directory = parse.GetValue(output)!;
            bool interrupted = TrainingProgress.Show(observer =>
            {
                Comparison.Execute(template, modelNames, noiseFactors, directory, observer);
                return observer.StopRequested;
            });
            ConsoleOutput.Line($"Comparison written to [bold]{Markup.Escape(Path.Combine(directory, Comparison.ChartFile))}[/]");
            return interrupted ? CliErrors.Interrupted : CliErrors.Done;
        });
        return command;
    }
}
