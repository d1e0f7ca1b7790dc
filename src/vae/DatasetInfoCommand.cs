using System.CommandLine;
using Spectre.Console;
using VulkanAE.Data;
using VulkanAE.IO;
using VulkanAE.Training;

namespace VulkanAE.Cli;

/// <summary>`vae dataset info DATASET`: how many images of what size, the classes, the split, and the mean image as a PNG.</summary>
internal static class DatasetInfoCommand
{
    public static Command Create()
    {
        var dataset = new Argument<string>("DATASET")
            { Description = $"{string.Join(", ", TrainingRun.Datasets)}, a folder of PNG/JPEG images (through the dataset cache), or a packed .vaepack file" };
        var mean = new Option<string>("--mean") { Description = "PNG file to write the mean image to", DefaultValueFactory = _ => "mean.png" };
        var decode = new DatasetFolderOptions();
        var command = new Command("info", "Describe a data set: image count and size, classes, training/test split; writes the mean image as a PNG.") { dataset, mean };
        decode.AddTo(command);
        command.SetAction(parse =>
        {
            var (train, test, classNames) = Load(parse.GetValue(dataset)!, decode, parse);
            var table = new Table().AddColumns("", "").HideHeaders();
            table.AddRow("images", $"{train.Count + test.Count} ({train.Count} training, {test.Count} test)");
            table.AddRow("size", $"{train.Channels}x{train.Height}x{train.Width} (channels x height x width)");
            table.AddRow("bytes", $"{(train.Pixels.Length + test.Pixels.Length) / 1048576.0:F1} MiB as uint8");
            table.AddRow("classes", classNames.Count == 0 ? "none (unlabelled)" : Markup.Escape(ClassCounts(train, test, classNames)));
            AnsiConsole.Write(table);
            Png.Write(parse.GetValue(mean)!, MeanImage.Of(train, test));
            Console.WriteLine($"mean image: {parse.GetValue(mean)}");
            return 0;
        });
        return command;
    }

    private static (ImageDataset Train, ImageDataset Test, IReadOnlyList<string> ClassNames) Load(string name, DatasetFolderOptions decode, ParseResult parse)
    {
        if (TrainingRun.Datasets.Contains(name))
        {
            var mnistTrain = Mnist.LoadFromDataDirectory(name, train: true);
            return (mnistTrain, Mnist.LoadFromDataDirectory(name, train: false), Enumerable.Range(0, mnistTrain.ClassCount).Select(c => c.ToString()).ToArray());
        }
        ImageFolderDatasets sets;
        if (File.Exists(name))
        {
            try
            {
                sets = PackedDataset.Open(name);
            }
            catch (InvalidDataException e)
            {
                throw new UserInputException($"{name}: {e.Message}: pack its folder again with `vae dataset pack`");
            }
        }
        else if (Directory.Exists(name))
            sets = new DatasetCache(decode.CacheDirectory(parse), message => AnsiConsole.MarkupLine(Markup.Escape(message))).Load(name, decode.Decode(parse));
        else
            throw new UserInputException($"{name}: no such data set: use {string.Join(", ", TrainingRun.Datasets)}, a folder of images or a .vaepack file");
        return (sets.Train, sets.Test, sets.ClassNames);
    }

    private static string ClassCounts(ImageDataset train, ImageDataset test, IReadOnlyList<string> classNames)
    {
        var counts = new int[classNames.Count];
        foreach (int label in (train.Labels ?? []).Concat(test.Labels ?? [])) counts[label]++;
        return $"{classNames.Count}: " + string.Join(", ", classNames.Select((className, c) => $"{className} {counts[c]}"));
    }
}
