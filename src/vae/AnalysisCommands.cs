using System.CommandLine;
using System.Globalization;
using VulkanAE.Training;

namespace VulkanAE.Cli;

/// <summary>`vae pca` and `vae anomaly`: experiments on a trained run.</summary>
internal static class AnalysisCommands
{
    public static IEnumerable<Command> Create() => [Pca(), Anomaly()];

    private static Command Pca()
    {
        var run = new Argument<string>("run") { Description = "Run directory of a linear autoencoder (vae train --model linear-ae --latent K)" };
        var device = new Option<int?>("--device") { Description = "Vulkan device index from `vae devices`" };
        var command = new Command("pca", "Compare a linear autoencoder with PCA of the same data: explained variance, principal angles between "
            + $"the decoder's span and the top-k components, both reconstructions ({PcaExperiment.PictureFile}, {PcaExperiment.SpectrumFile}, "
            + $"each with an SVG beside it, and {PcaExperiment.ReportFile}).")
        {
            run, device,
        };
        command.SetAction(parse =>
        {
            var result = PcaExperiment.Run(parse.GetValue(run)!, parse.GetValue(device), CliErrors.Note);
            Console.WriteLine(result.Report());
            return 0;
        });
        return command;
    }

    private static Command Anomaly()
    {
        var run = new Option<string>("--run") { Description = "Run directory of the trained autoencoder", Required = true };
        var data = new Option<string>("--data") { Description = "Folder of PNG/JPEG images to score; sub-folders normal/ and anomalous/ give the ROC AUC", Required = true };
        var output = new Option<string?>("--out") { Description = "Where to write the scores and pictures (default: the run directory)" };
        var device = new Option<int?>("--device") { Description = "Vulkan device index from `vae devices`" };
        var resize = new Option<bool>("--resize")
        {
            Description = "Convert the images to the model's channels and centre-crop and resize them to its size (without it, images of another shape are refused)",
        };
        var command = new Command("anomaly", "Score every image of a folder by its reconstruction error: a ranked CSV, the most and least anomalous "
            + "images with their reconstructions, and the ROC AUC when the folder is labelled.")
        {
            run, data, output, device, resize,
        };
        command.SetAction(parse =>
        {
            string outputDirectory = parse.GetValue(output) ?? parse.GetValue(run)!;
            var report = AnomalyDetection.Run(parse.GetValue(run)!, parse.GetValue(data)!, outputDirectory, parse.GetValue(device), parse.GetValue(resize), CliErrors.Note);
            Console.WriteLine($"scored {report.Ranked.Count} images; most anomalous first in {Path.Combine(outputDirectory, AnomalyDetection.TableFile)}");
            foreach (var score in report.Ranked.Take(5))
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {score.Score:G4}  {score.Path}"));
            Console.WriteLine(report.RocAuc is double auc
                ? string.Create(CultureInfo.InvariantCulture, $"ROC AUC (anomalous vs normal): {auc:F4}")
                : "no ROC AUC: the folder has no normal/ and anomalous/ sub-folders");
            return 0;
        });
        return command;
    }
}
