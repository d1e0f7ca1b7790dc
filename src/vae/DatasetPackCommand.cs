using System.CommandLine;
using Spectre.Console;
using VulkanAE.Data;

namespace VulkanAE.Cli;

/// <summary>`vae dataset pack FOLDER`: decodes an image folder into its packed file now, with a progress bar, so training starts from it.</summary>
internal static class DatasetPackCommand
{
    public static Command Create()
    {
        var folder = new Argument<string>("FOLDER") { Description = "Folder of PNG/JPEG images (sub-folders are classes)" };
        var decode = new DatasetFolderOptions();
        var command = new Command("pack",
            "Decode an image folder once into a packed file of fixed-size images in the cache, as `vae train` does on its first run over the folder; "
            + "training with the same --image-size and --channels maps it instead of decoding.") { folder };
        decode.AddTo(command);
        command.SetAction(parse =>
        {
            string directory = parse.GetValue(folder)!;
            var options = decode.Decode(parse);
            ImageFolderDatasets? sets = null;
            string? path = null;
            AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .Start(progress =>
                {
                    var cache = new DatasetCache(decode.CacheDirectory(parse), message => AnsiConsole.MarkupLine(Markup.Escape(message)), count =>
                    {
                        var task = progress.AddTask("decoding", maxValue: count);
                        return () => task.Increment(1);
                    });
                    path = cache.PathFor(directory, options);
                    sets = cache.Load(directory, options);
                });
            Console.WriteLine($"{sets!.Train.Count} training and {sets.Test.Count} test images of {options.Channels}x{options.ImageSize}x{options.ImageSize} "
                + $"in {path}");
            return 0;
        });
        return command;
    }
}
