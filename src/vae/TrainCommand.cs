using System.CommandLine;
using Spectre.Console;
using VulkanAE.Models;
using VulkanAE.Training;
using VulkanAE.Viewer;

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
        model.AcceptOnlyFromAmong(ModelCatalog.Names.ToArray());
        var modelFile = new Option<string?>("--model-file") { Description = "Train a model declared in a text file instead (see README: Declaring a model)" };
        var dataset = new Option<string>("--dataset")
        {
            Description = "mnist or fashion-mnist (under data/: tools/setup.sh fetches them; VULKANAE_DATA overrides the folder), or a folder of PNG/JPEG images (sub-folders are classes)",
            DefaultValueFactory = _ => "mnist",
        };
        var epochs = new Option<int?>("--epochs")
        {
            Description = "Epochs in all (default: the model's reference write-up's: "
                + string.Join(", ", ModelCatalog.All.Select(m => $"{m.Name} {m.Declare(new ModelOptions()).Defaults.Epochs}")) + "); with --resume, how many the resumed run reaches",
        };
        var batch = new Option<int?>("--batch") { Description = "Images per step (default: the model's: 256 for the AEs, 128 for the VAEs)" };
        var lr = new Option<float?>("--lr") { Description = "Adam learning rate (default: the model's, 1e-3)" };
        var seed = new Option<int>("--seed") { Description = "Seed of the weights, the shuffling and a VAE's noise: the same seed on the same device with the same kernel choices (kernel_choices.json) gives the same numbers", DefaultValueFactory = _ => 1 };
        var latent = new Option<int?>("--latent") { Description = "Latent size (VAEs: 2 for conv-vae, 20 for fc-vae; fc-ae: its code size, 32)" };
        var hidden = new Option<string?>("--hidden") { Description = "Hidden widths, comma-separated (fc-vae: e.g. 512,256; fc-ae and conv-vae: one width)" };
        var beta = new Option<float>("--beta") { Description = "Weight of the KL term of a VAE's loss", DefaultValueFactory = _ => 1f };
        var warmup = new Option<int>("--kl-warmup") { Description = "Epochs over which the KL weight ramps linearly from 0 to --beta", DefaultValueFactory = _ => 0 };
        var clipGrad = new Option<float?>("--clip-grad")
        {
            Description = "Clip the gradients to this global L2 norm before each Adam step, as torch.nn.utils.clip_grad_norm_: the norm is taken over all " +
                "parameters together and every gradient is scaled by min(1, NORM / (norm + 1e-6)); default: no clipping. --resume keeps it",
            HelpName = "NORM",
        };
        var noise = new Option<float>("--noise") { Description = "Denoising: train on inputs with Gaussian noise of this factor (clamped to [0, 1]) against clean targets; 0 = plain", DefaultValueFactory = _ => 0f };
        var output = new Option<string?>("--out") { Description = "Run directory (default: runs/MODEL): metrics.csv, model.safetensors, checkpoint.safetensors and pictures" };
        var resume = new Option<string?>("--resume") { Description = "Continue the run in this directory from its last checkpoint, with its own options" };
        var device = new Option<int?>("--device") { Description = "Vulkan device index from `vae devices` (default: the first discrete GPU, else integrated, else any)" };
        var limit = new Option<int?>("--limit") { Description = "Use only the first N images of the training and test sets (quick runs)" };
        var vulkanValidation = VulkanValidationOption.Create();
        var renamedValidation = VulkanValidationOption.OldName();
        var valSplit = new Option<double>("--val-split")
        {
            Description = "Hold this fraction of the training set out as a validation set, chosen by --seed (the same on --resume); its loss is reported "
                + "every epoch and model.best.safetensors keeps the epoch with the lowest. Default 0: train on the whole training set, as the reference write-ups do",
            HelpName = "F",
        };
        var earlyStop = new Option<int?>("--early-stop")
        {
            Description = "Stop once the validation loss has not improved for this many epochs (Keras's EarlyStopping); needs --val-split",
            HelpName = "PATIENCE",
        };
        var schedule = new Option<string>("--lr-schedule")
        {
            Description = "Learning rate over the run, computed on the device every step: constant; cosine (down to 0 at the last step); "
                + "step (times --lr-decay every --lr-step-epochs); plateau (times --lr-decay after --lr-patience epochs without a better validation loss, "
                + "or training loss without --val-split)",
            DefaultValueFactory = _ => "constant",
        };
        schedule.AcceptOnlyFromAmong(TrainingOptions.ScheduleNames.ToArray());
        var warmupEpochs = new Option<int>("--warmup-epochs") { Description = "Epochs over which the learning rate ramps up linearly, step by step, before the schedule", DefaultValueFactory = _ => 0 };
        var lrDecay = new Option<float>("--lr-decay") { Description = "Factor of the step and plateau schedules' reductions", DefaultValueFactory = _ => 0.1f };
        var lrStepEpochs = new Option<int?>("--lr-step-epochs") { Description = "Step schedule: epochs between reductions (default: a third of the epochs)" };
        var lrPatience = new Option<int>("--lr-patience") { Description = "Plateau schedule: epochs without improvement before a reduction", DefaultValueFactory = _ => 2 };
        var imageSize = new Option<int?>("--image-size") { Description = "Image folders: side of the square images (default: the model's input)" };
        var channels = new Option<int?>("--channels") { Description = "Image folders: 1 (grey) or 3 (RGB) (default: the model's input)" };
        var noResize = new Option<bool>("--no-resize") { Description = "Image folders: reject images of another size instead of centre-cropping and resizing them" };
        var tuneSeconds = new Option<double>("--tune-seconds")
        {
            Description = "Kernel choices come from the cache (see `vae tune`); those missing are timed for up to this long before training (what is left keeps the defaults)",
            DefaultValueFactory = _ => 5,
        };
        var noTune = new Option<bool>("--no-tune") { Description = "Run the built-in kernel defaults: no cache, no tuning" };
        var condition = new Option<string?>("--condition")
        {
            Description = "labels: a conditional VAE, the one-hot class of each image (as many classes as the dataset has) joined to the encoder's input "
                + "(after a convolutional encoder's flatten) and to z before the decoder; `vae sample RUN --class N` then draws the class asked for",
        };
        condition.AcceptOnlyFromAmong(TrainingOptions.LabelCondition);
        var align = new Option<string?>("--align")
        {
            Description = "foreground: register each image of a folder on its foreground as it loads (the pixels unlike the border's colour; centroid to the "
                + "middle, spread to a fixed share of the frame), so that per-position anomaly scores compare the same part of every object; "
                + "recorded in run.yaml, and every command that reads a folder for the run does the same",
        };
        align.AcceptOnlyFromAmong(TrainingOptions.ForegroundAlign);
        var deviceDatasetMb = new Option<int?>("--device-dataset-mb")
        {
            Description = "Device memory the training set may take, in MiB (default: a sixteenth of the device's memory heap); a larger set, or one larger than "
                + "a storage buffer binding, streams through two buffers while the GPU trains, giving the same numbers",
            HelpName = "MB",
        };
        var view = new Option<bool>("--view") { Description = "Show the training live in a window (reconstructions, latent grid and scatter, loss curves); without a display, training goes on" };

        var config = new Option<string?>("--config")
        {
            Description = "Run again what a run.yaml describes (every run writes one): model, dataset, options and kernel choices; options given here override it",
            HelpName = "RUN.YAML",
        };
        var overwrite = new Option<bool>("--overwrite") { Description = "Train into an --out that already holds a run: everything in it is deleted first" };

        var command = new Command("train", "Train an autoencoder, a VAE or a CutPaste classifier on the GPU, showing loss and images/s as it goes.")
        {
            model, modelFile, dataset, epochs, batch, lr, schedule, warmupEpochs, lrDecay, lrStepEpochs, lrPatience, clipGrad, seed, latent, hidden, beta, warmup, noise,
            valSplit, earlyStop, imageSize, channels, noResize, config, output, overwrite, resume, device, limit, vulkanValidation, renamedValidation, tuneSeconds,
            noTune, deviceDatasetMb, view, condition, align,
        };
        command.SetAction(parse =>
        {
            string? resumeDirectory = parse.GetValue(resume);
            if (resumeDirectory is not null && (parse.GetValue(overwrite) || parse.GetValue(config) is not null))
                throw new ArgumentException("--resume continues a run with its own options: it takes neither --overwrite nor --config");
            var described = parse.GetValue(config) is string configFile ? RunDescription.Read(configFile, outputDirectory: "") : null;
            bool Given(Option option) => parse.GetResult(option) is { Implicit: false };
            // From the command line when given there (or when there is no run.yaml), else from the run.yaml.
            T Pick<T>(Option<T> option, T fromRun) => Given(option) || described is null ? parse.GetValue(option)! : fromRun;
            var from = described?.Options ?? new TrainingOptions();

            (string Name, string? Declaration) chosen = parse.GetValue(modelFile) is string file
                ? DeclaredModel(file)
                : described is not null && !Given(model) ? (from.Model, from.ModelDeclaration) : (parse.GetValue(model)!, null);
            string outputDirectory = resumeDirectory ?? parse.GetValue(output) ?? Path.Combine("runs", chosen.Name);
            bool tuningGiven = Given(noTune) || Given(tuneSeconds);
            var options = new TrainingOptions(
                Model: chosen.Name,
                ModelDeclaration: chosen.Declaration,
                Dataset: Pick(dataset, from.Dataset),
                Epochs: Pick(epochs, from.Epochs),
                BatchSize: Pick(batch, from.BatchSize),
                LearningRate: Pick(lr, from.LearningRate),
                Seed: Pick(seed, from.Seed),
                OutputDirectory: outputDirectory,
                Device: parse.GetValue(device),
                Limit: Pick(limit, from.Limit),
                VulkanValidation: parse.GetValue(vulkanValidation),
                ValidationSplit: Pick(valSplit, from.ValidationSplit),
                EarlyStopPatience: Pick(earlyStop, from.EarlyStopPatience),
                LearningRateSchedule: Pick(schedule, from.LearningRateSchedule),
                WarmupEpochs: Pick(warmupEpochs, from.WarmupEpochs),
                LearningRateDecay: Pick(lrDecay, from.LearningRateDecay),
                LearningRateStepEpochs: Pick(lrStepEpochs, from.LearningRateStepEpochs),
                LearningRatePatience: Pick(lrPatience, from.LearningRatePatience),
                Latent: Pick(latent, from.Latent),
                Hidden: Given(hidden) || described is null ? ParseWidths(parse.GetValue(hidden)) : from.Hidden,
                KlWeight: Pick(beta, from.KlWeight),
                KlWarmupEpochs: Pick(warmup, from.KlWarmupEpochs),
                Noise: Pick(noise, from.Noise),
                ImageSize: Pick(imageSize, from.ImageSize),
                Channels: Pick(channels, from.Channels),
                Resize: Given(noResize) || described is null ? !parse.GetValue(noResize) : from.Resize,
                ClipGradNorm: Pick(clipGrad, from.ClipGradNorm),
                Condition: Pick(condition, from.Condition),
                Align: Pick(align, from.Align),
                DeviceDatasetMegabytes: Pick(deviceDatasetMb, from.DeviceDatasetMegabytes),
                TuneSeconds: tuningGiven || described is null ? (parse.GetValue(noTune) ? null : parse.GetValue(tuneSeconds)) : from.TuneSeconds);
            var kernelChoices = described is not null && !tuningGiven ? described.KernelChoices : null;
            if (resumeDirectory is null) TrainingRun.CheckOutput(outputDirectory, parse.GetValue(overwrite));
            bool interrupted = TrainingProgress.Show(progress =>
                {
                    using var viewer = parse.GetValue(view) ? new ViewerObserver(progress, progress.Note) : null;
                    ITrainingObserver observer = (ITrainingObserver?)viewer ?? progress;
                    if (resumeDirectory is not null) TrainingRun.Resume(resumeDirectory, parse.GetValue(epochs), observer);
                    else TrainingRun.Execute(options, observer, kernelChoices, parse.GetValue(overwrite));
                    return progress.StopRequested;
                });
            ConsoleOutput.Line($"Run written to [bold]{Markup.Escape(outputDirectory)}[/]");
            return interrupted ? CliErrors.Interrupted : CliErrors.Done;
        });
        return command;
    }

    internal static (string Name, string Declaration) DeclaredModel(string file)
    {
        string declaration = File.ReadAllText(file);
        return (ModelSpecFile.Parse(declaration, file).Name, declaration);
    }

    internal static int[]? ParseWidths(string? text) => text?.Split(',').Select(w => int.TryParse(w, out var width) && width > 0
        ? width
        : throw new ArgumentException($"--hidden: '{w}' is not a positive width; give widths like 512,256")).ToArray();
}
