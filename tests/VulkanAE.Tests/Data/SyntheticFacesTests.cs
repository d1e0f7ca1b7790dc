using VulkanAE.Data;
using VulkanAE.IO;

namespace VulkanAE.Tests.Data;

public class SyntheticFacesTests
{
    private static readonly SyntheticFaceCounts Small = new(Train: 6, TestNormal: 4, PerKind: 2, Size: 32, Seed: 7);

    private static Dictionary<string, byte[]> Files(string directory) => Directory.EnumerateFiles(directory, "*.png", SearchOption.AllDirectories)
        .ToDictionary(path => Path.GetRelativePath(directory, path).Replace('\\', '/'), path => Png.Read(path).Pixels);

    [Test]
    public void AFolderHasTheTrainingFacesTheNormalTestFacesAndASubFolderPerKind()
    {
        var directory = Directory.CreateTempSubdirectory("faces").FullName;
        SyntheticFaceFolder.Write(directory, Small);

        var files = Files(directory);
        Assert.That(files.Keys.Count(path => path.StartsWith("train/")), Is.EqualTo(6));
        Assert.That(files.Keys.Count(path => path.StartsWith("test/normal/")), Is.EqualTo(4));
        foreach (var kind in Enum.GetValues<FaceAnomaly>())
            Assert.That(files.Keys.Count(path => path.StartsWith($"test/anomalous/{SyntheticFaces.FolderName(kind)}/")), Is.EqualTo(2), kind.ToString());
        Assert.That(files.Values, Has.All.Length.EqualTo(32 * 32 * 3));
        Assert.That(files.Values.Select(Convert.ToBase64String).Distinct().Count(), Is.EqualTo(files.Count), "every face differs");
    }

    [Test]
    public void TheSameSeedGivesTheSameFacesAndAnotherSeedOthers()
    {
        string first = Directory.CreateTempSubdirectory("faces").FullName, again = Directory.CreateTempSubdirectory("faces").FullName;
        string other = Directory.CreateTempSubdirectory("faces").FullName;
        SyntheticFaceFolder.Write(first, Small);
        SyntheticFaceFolder.Write(again, Small);
        SyntheticFaceFolder.Write(other, Small with { Seed = 8 });

        var (a, b, c) = (Files(first), Files(again), Files(other));
        Assert.That(b.Keys, Is.EquivalentTo(a.Keys));
        foreach (var path in a.Keys)
        {
            Assert.That(b[path], Is.EqualTo(a[path]), path);
            Assert.That(c[path], Is.Not.EqualTo(a[path]), path);
        }
    }

    [Test]
    public void KindFoldersAreNamedInKebabCase()
    {
        Assert.That(SyntheticFaces.FolderName(FaceAnomaly.ExtraEye), Is.EqualTo("extra-eye"));
        Assert.That(SyntheticFaces.FolderName(FaceAnomaly.Noise), Is.EqualTo("noise"));
    }
}
