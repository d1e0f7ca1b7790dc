using System.CommandLine;
using VulkanAE.IO;
using VulkanAE.Models;
using VulkanAE.Training;

namespace VulkanAE.Cli;

/// <summary>`vae sample`, `vae reconstruct` and `vae latent-grid`: pictures from a saved run directory.</summary>
internal static class RunCommands
{
    public static IEnumerable<Command> Create() => [Sample(), Reconstruct(), LatentGrid()];

    private static Argument<string> RunArgument() => new("run") { Description = "Run directory written by `vae train`" };

    private static Option<int?> DeviceOption() => new("--device") { Description = "Vulkan device index from `vae devices`" };

    private static Option<int?> ClassOption(string what) => new("--class")
    {
        Description = $"A conditional VAE (trained with --condition labels): the class to {what}",
        HelpName = "N",
    };

    /// <summary>The class --class asks a run's model for, checked against its condition; null when none was asked for and none is needed.</summary>
    private static int? ChosenClass(TrainedRun trained, int? asked, string command)
    {
        var classes = trained.Model.ConditionClasses;
        return (asked, classes) switch
        {
            (null, null) => null,
            (int label, null) => throw new ArgumentException($"--class {label}: {trained.Directory} is not a conditional VAE (trained without --condition labels); leave --class out"),
            (null, int count) => throw new ArgumentException($"{trained.Directory} is a conditional VAE: choose the class to {command} with --class N, from 0 to {count - 1}"),
            (int label, int count) when label < 0 || label >= count => throw new ArgumentException($"--class {label}: the run's model knows classes 0 to {count - 1}"),
            (int label, _) => label,
        };
    }

    private static Option<string?> OutputOption(string defaultFile, bool withSvg) => new("--out")
    {
        Description = $"PNG to write{(withSvg ? ", with an SVG of the same name beside it" : "")} (default: RUN/{defaultFile})",
    };

    private static Command Sample()
    {
        var run = RunArgument();
        var device = DeviceOption();
        var output = OutputOption(RunDirectory.SamplesFile, withSvg: false);
        var seed = new Option<int>("--seed") { Description = "Seed of the latent draws z ~ N(0, I)", DefaultValueFactory = _ => 1 };
        var label = ClassOption("draw");
        var command = new Command("sample", "Decode random latent vectors z ~ N(0, I) of a trained VAE into an 8x8 grid of images "
            + $"(a conditional VAE: of the class --class asks for, or without it {RunDirectory.SamplesByClassFile}, a row per class).") { run, device, output, seed, label };
        command.SetAction(parse => Write("vae sample", parse.GetValue(run)!, parse.GetValue(device), parse.GetValue(output), RunDirectory.SamplesFile, (trained, path) =>
        {
            if (!trained.Model.IsVariational)
                throw new ArgumentException($"{trained.Options.Model} is not a VAE: its latent space has no prior to sample from");
            var test = trained.LoadTestSet();
            if (trained.Model.ConditionClasses is not null && parse.GetValue(label) is null)
            {
                // Without a class, a conditional VAE's samples are the run's picture of every class.
                using var byClass = RunPictures.SamplesByClass(trained.Inference, test, parse.GetValue(seed));
                return byClass.Write(parse.GetValue(output) ?? Path.Combine(trained.Directory, RunDirectory.SamplesByClassFile));
            }
            Png.Write(path, ChosenClass(trained, parse.GetValue(label), "draw") is int chosen
                ? RunPictures.SamplesOfClass(trained.Inference, test, parse.GetValue(seed), chosen)
                : RunPictures.Samples(trained.Inference, test, parse.GetValue(seed)));
            return [path];
        }));
        return command;
    }

    private static Command Reconstruct()
    {
        var run = RunArgument();
        var device = DeviceOption();
        var output = OutputOption(RunDirectory.ReconstructionsFile, withSvg: true);
        var command = new Command("reconstruct", "The first test images above their reconstructions by a trained model.") { run, device, output };
        command.SetAction(parse => Write("vae reconstruct", parse.GetValue(run)!, parse.GetValue(device), parse.GetValue(output), RunDirectory.ReconstructionsFile, (trained, path) =>
        {
            using var test = new DeviceDataset(trained.Gpu, trained.LoadTestSet());
            var (inputs, _, outputs) = trained.Inference.Reconstruct(test, RunPictures.ReconstructionCount);
            using var chart = RunPictures.Reconstructions(trained.Model, test.Source, inputs, outputs);
            return chart.Write(path);
        }));
        return command;
    }

    private static Command LatentGrid()
    {
        var run = RunArgument();
        var device = DeviceOption();
        var output = OutputOption(RunDirectory.LatentGridFile, withSvg: true);
        var size = new Option<int>("--size") { Description = "Images per side of the grid", DefaultValueFactory = _ => RunPictures.LatentGridSize };
        var range = new Option<float>("--range") { Description = "The grid spans [-range, range] on both latent axes", DefaultValueFactory = _ => RunPictures.LatentGridRange };
        var label = ClassOption("decode the grid as");
        var command = new Command("latent-grid", "Decode a regular grid over a 2-D latent space: how the decoder morphs one digit into another.")
        {
            run, device, output, size, range, label,
        };
        command.SetAction(parse => Write("vae latent-grid", parse.GetValue(run)!, parse.GetValue(device), parse.GetValue(output), RunDirectory.LatentGridFile, (trained, path) =>
        {
            if (trained.Model.CodeSize != 2)
                throw new ArgumentException($"the latent grid needs a 2-D latent space; this {trained.Options.Model} has {trained.Model.CodeSize} dimensions");
            if (parse.GetValue(size) is < 1 or > 64) throw new ArgumentException("--size must be between 1 and 64");
            using var chart = RunPictures.LatentGrid(trained.Inference, trained.LoadTestSet(), parse.GetValue(size), parse.GetValue(range),
                label: ChosenClass(trained, parse.GetValue(label), "decode the grid as"));
            return chart.Write(path);
        }));
        return command;
    }

    /// <param name="command">The command, named when the run cannot make the picture.</param>
    /// <param name="write">Writes the picture to the path it is given and returns every file it wrote.</param>
    private static int Write(string command, string directory, int? device, string? output, string defaultFile, Func<TrainedRun, string, IReadOnlyList<string>> write)
    {
        using var trained = TrainedRun.Open(directory, device, CliErrors.Note);
        trained.RequireReconstruction(command);
        var written = write(trained, output ?? Path.Combine(directory, defaultFile));
        Console.WriteLine($"wrote {string.Join(" and ", written)}");
        return 0;
    }
}
