using System.CommandLine;
using VulkanAE.Data;

namespace VulkanAE.Cli;

/// <summary>
/// `vae dataset`: synth-faces (a seeded folder of synthetic faces with planted anomalies, made
/// without a network); pack and info (<see cref="DatasetPackCommand"/>, <see cref="DatasetInfoCommand"/>).
/// </summary>
internal static class DatasetCommand
{
    public static Command Create() => new("dataset", "Make, pack and describe data sets") { SynthFaces(), DatasetPackCommand.Create(), DatasetInfoCommand.Create() };

    private static Command SynthFaces()
    {
        var output = new Option<string>("--out") { Description = "Folder to write (train/, test/normal/, test/anomalous/KIND/)", Required = true };
        var train = new Option<int>("--train") { Description = "Normal faces to train on", DefaultValueFactory = _ => 1350 };
        var normal = new Option<int>("--test-normal") { Description = "Normal faces in test/normal/", DefaultValueFactory = _ => 300 };
        var perKind = new Option<int>("--per-kind") { Description = "Faces of each anomaly kind in test/anomalous/KIND/", DefaultValueFactory = _ => 40 };
        var size = new Option<int>("--size") { Description = "Image width and height in pixels", DefaultValueFactory = _ => 64 };
        var seed = new Option<int>("--seed") { Description = "Seed: the same seed gives the same images on every machine", DefaultValueFactory = _ => 1 };
        string kinds = string.Join(", ", Enum.GetValues<FaceAnomaly>().Select(SyntheticFaces.FolderName));
        var command = new Command("synth-faces", $"Synthetic 64x64 RGB faces for `vae anomaly`: normal faces to train on and a test set of normal faces and anomalies ({kinds}).")
        {
            output, train, normal, perKind, size, seed,
        };
        command.SetAction(parse =>
        {
            var counts = new SyntheticFaceCounts(parse.GetValue(train), parse.GetValue(normal), parse.GetValue(perKind), parse.GetValue(size), parse.GetValue(seed));
            if (counts.Train < 0 || counts.TestNormal < 0 || counts.PerKind < 0)
                throw new UserInputException("--train, --test-normal and --per-kind must be 0 or more");
            if (counts.Size < 16)
                throw new UserInputException($"--size {counts.Size}: faces need 16 pixels or more");
            SyntheticFaceFolder.Write(parse.GetValue(output)!, counts);
            Console.WriteLine($"wrote {counts.Train} training faces and {counts.TestNormal} normal + {counts.PerKind} x {Enum.GetValues<FaceAnomaly>().Length} anomalous test faces to {parse.GetValue(output)}");
            return 0;
        });
        return command;
    }
}
