using System.Text.Json;
using System.Text.Json.Nodes;
using VulkanAE.Kernels.Dense;
using VulkanAE.Tuning;

namespace VulkanAE.Tests.Tuning;

/// <summary>The kernel-choice cache: hit and miss, invalidation by driver and by SPIR-V build, a corrupt file, atomic writes.</summary>
public class KernelChoiceCacheTests : GpuTest
{
    private static readonly MatmulTunable Op = new(33, 17, 65, transposeA: false, transposeB: true);
    private static readonly MatmulChoice Naive = new(MatmulVariant.Naive, new MatmulTiling(8, 8, 1, 1));

    private static string EmptyFolder() => Directory.CreateTempSubdirectory("kernel-cache").FullName;

    private KernelChoiceCache Cache(string folder, List<string>? warnings = null)
        => new(folder, Gpu.Info, warning => (warnings ?? []).Add(warning));

    [Test]
    public void AStoredChoiceIsFoundByTheNextRunAndOnlyForItsKey()
    {
        var folder = EmptyFolder();
        Assert.That(Cache(folder).Find(Op), Is.Null, "an empty cache");
        Cache(folder).Store([(Op, Op.ToJson(Naive))]);

        var reread = Cache(folder);
        Assert.That(reread.Find(Op) is { } found ? MatmulTunable.FromJson(found) : null, Is.EqualTo(Naive));
        Assert.That(reread.Find(new MatmulTunable(33, 17, 65, transposeA: true, transposeB: true)), Is.Null);
        Assert.That(Directory.GetFiles(folder), Is.EqualTo(new[] { reread.FilePath }), "no temporary file is left behind");
    }

    [Test]
    public void StoringKeepsTheEntriesAnotherProcessWroteMeanwhile()
    {
        var folder = EmptyFolder();
        var other = new MatmulTunable(7, 5, 3, transposeA: false, transposeB: false);
        var first = Cache(folder);
        Cache(folder).Store([(other, other.ToJson(Naive))]);
        first.Store([(Op, Op.ToJson(Naive))]);
        var reread = Cache(folder);
        Assert.That(reread.Find(Op), Is.Not.Null);
        Assert.That(reread.Find(other), Is.Not.Null);
    }

    [Test]
    public void ANewDriverVersionOrPipelineCacheStartsAfresh()
    {
        var folder = EmptyFolder();
        Cache(folder).Store([(Op, Op.ToJson(Naive))]);
        var newDriver = new KernelChoiceCache(folder, Gpu.Info with { DriverVersion = Gpu.Info.DriverVersion + 1 }, _ => { });
        var newPipelineCache = new KernelChoiceCache(folder, Gpu.Info with { PipelineCacheUuid = new string('0', 32) }, _ => { });
        Assert.That(newDriver.Find(Op), Is.Null);
        Assert.That(newPipelineCache.Find(Op), Is.Null);
        Assert.That(newDriver.FilePath, Is.Not.EqualTo(Cache(folder).FilePath));
    }

    [Test]
    public void AChoiceTimedWithAnotherShaderBuildIsIgnored()
    {
        var folder = EmptyFolder();
        var cache = Cache(folder);
        cache.Store([(Op, Op.ToJson(Naive))]);
        // What an older build's tuning leaves: the same key, another SPIR-V hash.
        var file = JsonNode.Parse(File.ReadAllText(cache.FilePath))!;
        file["Entries"]![Op.Key]!["ShaderBuild"] = "0123456789abcdef";
        File.WriteAllText(cache.FilePath, file.ToJsonString());
        Assert.That(Cache(folder).Find(Op), Is.Null);
    }

    [Test]
    public void TheShaderBuildHashFollowsTheBytesAndTheFilesOfTheFamily()
    {
        var shaders = EmptyFolder();
        Directory.CreateDirectory(Path.Combine(shaders, "dense"));
        File.WriteAllBytes(Path.Combine(shaders, "dense", "matmul_naive.spv"), [3, 2, 35, 7, 1]);
        File.WriteAllBytes(Path.Combine(shaders, "dense", "bias_add.spv"), [3, 2, 35, 7, 9]);
        string before = TunableOp.SpirvHash(shaders, "dense/matmul_*.spv");

        File.WriteAllBytes(Path.Combine(shaders, "dense", "bias_add.spv"), [3, 2, 35, 7, 10]);
        Assert.That(TunableOp.SpirvHash(shaders, "dense/matmul_*.spv"), Is.EqualTo(before), "another family's shader");
        File.WriteAllBytes(Path.Combine(shaders, "dense", "matmul_naive.spv"), [3, 2, 35, 7, 2]);
        string rebuilt = TunableOp.SpirvHash(shaders, "dense/matmul_*.spv");
        Assert.That(rebuilt, Is.Not.EqualTo(before), "a rebuilt shader");
        File.WriteAllBytes(Path.Combine(shaders, "dense", "matmul_new_variant.spv"), [3, 2, 35, 7]);
        Assert.That(TunableOp.SpirvHash(shaders, "dense/matmul_*.spv"), Is.Not.EqualTo(rebuilt), "a new variant");
    }

    [TestCase("{ not json")]
    [TestCase("{\"Format\": 99, \"Device\": \"x\", \"Entries\": {}}")]
    [TestCase("{\"Format\": 1, \"Device\": \"x\", \"Entries\": {\"matmul 1x1x1 tA0 tB0\": null}}")]
    public void ACorruptFileIsIgnoredWithAWarningAndRewritten(string contents)
    {
        var folder = EmptyFolder();
        string path = Cache(folder).FilePath;
        File.WriteAllText(path, contents);

        var warnings = new List<string>();
        var cache = Cache(folder, warnings);
        Assert.That(cache.Find(Op), Is.Null);
        Assert.That(warnings, Has.Count.EqualTo(1));
        Assert.That(warnings[0], Does.Contain(path).And.Contain("ignoring"));

        cache.Store([(Op, Op.ToJson(Naive))]);
        Assert.That(warnings, Has.Count.EqualTo(1), "storing does not warn again");
        var rewritten = new List<string>();
        Assert.That(Cache(folder, rewritten).Find(Op), Is.Not.Null);
        Assert.That(rewritten, Is.Empty);
    }

    [Test]
    public void AFolderThatCannotBeWrittenIsAWarning()
    {
        var blocker = Path.Combine(EmptyFolder(), "a-file");
        File.WriteAllText(blocker, "");
        var warnings = new List<string>();
        var cache = new KernelChoiceCache(Path.Combine(blocker, "cache"), Gpu.Info, warnings.Add);
        cache.Store([(Op, Op.ToJson(Naive))]);
        Assert.That(warnings.Single(), Does.Contain(KernelChoiceCache.EnvironmentVariable));
    }

    [Test]
    public void TheFolderIsTheEnvironmentsChoiceElseTheUsersCacheFolder()
    {
        string? saved = Environment.GetEnvironmentVariable(KernelChoiceCache.EnvironmentVariable);
        string? savedXdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        try
        {
            Environment.SetEnvironmentVariable(KernelChoiceCache.EnvironmentVariable, "/somewhere/else");
            Assert.That(KernelChoiceCache.DefaultDirectory(), Is.EqualTo("/somewhere/else"));
            Environment.SetEnvironmentVariable(KernelChoiceCache.EnvironmentVariable, null);
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", "/xdg/cache");
            Assert.That(KernelChoiceCache.DefaultDirectory(), Is.EqualTo("/xdg/cache/vulkanae"));
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", null);
            string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            Assert.That(KernelChoiceCache.DefaultDirectory(), Is.EqualTo(Path.Combine(home, ".cache", "vulkanae")));
        }
        finally
        {
            Environment.SetEnvironmentVariable(KernelChoiceCache.EnvironmentVariable, saved);
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", savedXdg);
        }
    }
}
