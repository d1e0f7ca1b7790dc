using VulkanAE.IO;

namespace VulkanAE.Data;

/// <summary>How many faces of each part <see cref="SyntheticFaceFolder.Write"/> draws, and from which seed.</summary>
internal sealed record SyntheticFaceCounts(int Train = 1350, int TestNormal = 300, int PerKind = 40, int Size = 64, int Seed = 1);

/// <summary>
/// Writes a folder of <see cref="SyntheticFaces"/> for anomaly detection: train/ (normal faces only, to
/// train on), test/normal/ and test/anomalous/KIND/ (one sub-folder per <see cref="FaceAnomaly"/>), as
/// `vae anomaly` reads them. Every image has its own generator seeded from the seed, its part and its
/// index, so a folder is the same on every machine and the parts do not depend on each other's counts.
/// </summary>
internal static class SyntheticFaceFolder
{
    public const string TrainFolder = "train", TestFolder = "test";

    public static void Write(string directory, SyntheticFaceCounts counts, IReadOnlyList<FaceAnomaly>? kinds = null)
    {
        kinds ??= Enum.GetValues<FaceAnomaly>();
        var parts = new List<(string Folder, int Count, FaceAnomaly? Kind, int Stream)>
        {
            (TrainFolder, counts.Train, null, 0),
            (Path.Combine(TestFolder, "normal"), counts.TestNormal, null, 1),
        };
        parts.AddRange(kinds.Select(kind => (Path.Combine(TestFolder, "anomalous", SyntheticFaces.FolderName(kind)), counts.PerKind, (FaceAnomaly?)kind, 2 + (int)kind)));
        foreach (var part in parts)
        {
            string folder = Path.Combine(directory, part.Folder);
            Directory.CreateDirectory(folder);
            Parallel.For(0, part.Count, i =>
            {
                var random = new Random(ImageSeed(counts.Seed, part.Stream, i));
                byte[] pixels = SyntheticFaces.Draw(random, counts.Size, part.Kind);
                Png.Write(Path.Combine(folder, $"face_{i:D5}.png"), pixels, counts.Size, counts.Size, 3);
            });
        }
    }

    /// <summary>A seed per image (HashCode.Combine would differ between processes): the three numbers mixed by SplitMix64's finaliser.</summary>
    private static int ImageSeed(int seed, int stream, int index)
    {
        ulong z = unchecked(((ulong)(uint)seed << 40) ^ ((ulong)(uint)stream << 24) ^ (uint)index) + 0x9E3779B97F4A7C15UL;
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return (int)((z ^ (z >> 31)) & int.MaxValue);
    }
}
