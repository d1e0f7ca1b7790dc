using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using VulkanAE.Evaluation;
using VulkanAE.Training;

namespace VulkanAE.Cli;

/// <summary>`vae evaluate RUN [--dataset D] [--iw K]`: a trained model's test loss, per class, and a VAE's importance-weighted log-likelihood.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "Run directory (run.yaml and model.safetensors, from `vae train` or `vae import`)" };
        var dataset = new Option<string?>("--dataset") { Description = "Evaluate on this dataset's test set instead of the run's: mnist, fashion-mnist or a folder of PNG/JPEG images" };
        var resize = new Option<bool>("--resize") { Description = "Image folders: convert and resize the images to the model's input (without it, another shape is refused)" };
        var limit = new Option<int?>("--limit") { Description = "Only the first N test images (default: the whole test set, whatever the run trained with)" };
        var iw = new Option<int?>("--iw")
        {
            Description = "VAEs: estimate log p(x) with K importance samples per image (the IWAE bound; 5000 is the usual figure for MNIST), written as test_nll_iw",
            HelpName = "K",
        };
        var seed = new Option<int?>("--seed") { Description = "Seed of a VAE's sampling, its z and the importance samples (default: the run's): the same seed gives the same figures" };
        var output = new Option<string?>("--out") { Description = $"Folder for {ModelEvaluation.SummaryFile} and {ModelEvaluation.PerClassFile} (default: the run directory)" };
        var device = new Option<int?>("--device") { Description = "Vulkan device index from `vae devices`" };
        var command = new Command("evaluate", $"A trained model's test loss and each term ({ModelEvaluation.SummaryFile}), per class when the test set has labels "
            + $"({ModelEvaluation.PerClassFile}), and for a VAE with --iw K its estimated negative log-likelihood.")
        {
            run, dataset, resize, limit, iw, seed, output, device,
        };
        command.SetAction(parse =>
        {
            var request = new EvaluationRequest(parse.GetValue(dataset), parse.GetValue(limit), parse.GetValue(resize), parse.GetValue(iw) ?? 0,
                parse.GetValue(output));
            int samples = request.ImportanceSamples;
            using var trained = TrainedRun.Open(parse.GetValue(run)!, new Core.GpuOptions(parse.GetValue(device)), CliErrors.Note,
                maxRows: samples > 0 ? ImportanceWeightedLikelihood.DecodeRows : TrainedRun.InferenceRows, seed: parse.GetValue(seed));
            trained.RequireReconstruction("vae evaluate");
            var summary = samples == 0
                ? ModelEvaluation.Run(trained, request)
                : AnsiConsole.Progress().AutoClear(true).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                    .Start(context =>
                    {
                        var task = context.AddTask($"log p(x), {samples} samples per image");
                        return ModelEvaluation.Run(trained, request, (done, total) =>
                        {
                            task.MaxValue = total;
                            task.Value = done;
                        });
                    });
            Console.WriteLine($"{summary.Images} test images of {summary.Dataset}:");
            foreach (var (column, value) in summary.Figures)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {column,-12} {value:G7}"));
            if (samples > 0) Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"importance sampling took {summary.ImportanceSeconds:F1} s"));
            Console.WriteLine($"wrote {string.Join(" and ", summary.Files)}");
            return 0;
        });
        return command;
    }
}
