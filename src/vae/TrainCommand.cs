using System.CommandLine;
using Spectre.Console;
using VulkanAE.Models;
using VulkanAE.Training;

namespace VulkanAE.Cli;

/// <summary>`vae train`: trains a model on the GPU with a live progress bar and writes the run directory.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model")
        {
            Description = "Model to train: " + string.Join("; ", ModelCatalog.All.Select(m => $"{m.Name} ({m.Description})")),
            DefaultValueFactory = _ => "fc-ae",
        };
        model.AcceptOnlyFromAmong(ModelCatalog.All.Select(m => m.Name).ToArray());
        var dataset = new Option<string>("--dataset")
        {
            Description = "Dataset under data/ (tools/setup.sh fetches them; VULKANAE_DATA overrides the folder)",
            DefaultValueFactory = _ => "mnist",
        };
        dataset.AcceptOnlyFromAmong(TrainingRun.Datasets.ToArray());
        var epochs = new Option<int?>("--epochs") { Description = "Passes over the training set (default: the model's, 10 for fc-ae)" };
        var batch = new Option<int?>("--batch") { Description = "Images per step (default: the model's, 256 for fc-ae)" };
        var lr = new Option<float?>("--lr") { Description = "Adam learning rate (default: the model's, 1e-3 for fc-ae)" };
        var seed = new Option<int>("--seed") { Description = "Seed of the initial weights and the shuffling: the same seed on the same device gives the same numbers", DefaultValueFactory = _ => 1 };
        var output = new Option<string?>("--out") { Description = "Run directory for metrics.csv, model.safetensors and reconstructions.png (default: runs/MODEL)" };
        var device = new Option<int?>("--device") { Description = "Vulkan device index from `vae devices` (default: the first discrete GPU, else integrated, else any)" };
        var limit = new Option<int?>("--limit") { Description = "Use only the first N images of the training and test sets (quick runs)" };
        var validation = new Option<bool>("--validation") { Description = "Enable the Khronos validation layer (slow; for debugging)" };

        var command = new Command("train", "Train an autoencoder on the GPU, showing loss and images/s as it goes.")
        {
            model, dataset, epochs, batch, lr, seed, output, device, limit, validation,
        };
        command.SetAction(parse =>
        {
            var options = new TrainingOptions(
                Model: parse.GetValue(model)!,
                Dataset: parse.GetValue(dataset)!,
                Epochs: parse.GetValue(epochs),
                BatchSize: parse.GetValue(batch),
                LearningRate: parse.GetValue(lr),
                Seed: parse.GetValue(seed),
                OutputDirectory: parse.GetValue(output) ?? Path.Combine("runs", parse.GetValue(model)!),
                Device: parse.GetValue(device),
                Limit: parse.GetValue(limit),
                Validation: parse.GetValue(validation));
            AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .Start(context => TrainingRun.Execute(options, new ProgressObserver(context)));
            AnsiConsole.MarkupLine($"Run written to [bold]{Markup.Escape(options.OutputDirectory)}[/]");
            return 0;
        });
        return command;
    }

    /// <summary>One progress bar per epoch; a plain line per finished epoch, which also shows in logs.</summary>
    private sealed class ProgressObserver(ProgressContext context) : ITrainingObserver
    {
        private ProgressTask? _epoch;
        private int _epochs;
        private int _steps;

        public void Started(string description, int epochs, int stepsPerEpoch)
        {
            _epochs = epochs;
            _steps = stepsPerEpoch;
            AnsiConsole.MarkupLine($"Training {Markup.Escape(description)}: {epochs} epochs of {stepsPerEpoch} steps");
        }

        public void Progress(int epoch, StepProgress progress)
        {
            _epoch ??= context.AddTask($"epoch {epoch}/{_epochs}", maxValue: _steps);
            _epoch.Value = progress.Step;
            _epoch.Description = $"epoch {epoch}/{_epochs}  loss {progress.MeanLoss:F4}  {progress.ImagesPerSecond:F0} img/s";
        }

        public void EpochFinished(EpochMetrics m)
        {
            _epoch?.StopTask();
            _epoch = null;
            AnsiConsole.MarkupLine(
                $"epoch {m.Epoch}/{_epochs}: train loss {m.TrainLoss:F4}, test loss {m.TestLoss:F4}, {m.Seconds:F1} s, {m.ImagesPerSecond:F0} img/s");
        }
    }
}
