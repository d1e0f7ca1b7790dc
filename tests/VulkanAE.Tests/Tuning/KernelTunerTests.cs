using VulkanAE.Kernels.Conv;
using VulkanAE.Kernels.Dense;
using VulkanAE.Tests.Kernels.Conv;
using VulkanAE.Tuning;

namespace VulkanAE.Tests.Tuning;

/// <summary>
/// The tuner: what it times, where its choices go, and that every candidate it may choose computes
/// the right numbers. Which candidate wins is the device's business: no test asserts it.
/// </summary>
public class KernelTunerTests : GpuTest
{
    private KernelChoiceCache EmptyCache() => new(Directory.CreateTempSubdirectory("kernel-cache").FullName, Gpu.Info, _ => { });

    [Test]
    public void TuningTimesEveryBlockedVariantAndItsChoiceGoesToTheCacheAndTheChoicePoints()
    {
        var op = new MatmulTunable(35, 19, 23, transposeA: true, transposeB: false);
        var cache = EmptyCache();
        var tuned = KernelTuner.Tune(Gpu, [op], TuningSearch.Variants, budget: null, cache, step: null).Ops.Single();

        var blocked = Enum.GetValues<MatmulVariant>().Where(v => v != MatmulVariant.Naive && MatmulKernels.IsSupported(Gpu.Info, v)).ToArray();
        Assert.That(tuned.Candidates.Select(c => c.Candidate[0] - '0'), Is.EquivalentTo(blocked.Select(v => (int)v)), "each variant but the naive reference, once");
        Assert.That(tuned.Candidates[0].Candidate, Is.EqualTo($"{op.Default(Gpu.Info)}"), "the default comes first");
        Assert.That(tuned.Candidates.Count(c => c.Chosen), Is.EqualTo(1));
        Assert.That(tuned.Candidates.All(c => c.Milliseconds > 0), Is.True);
        var choice = MatmulTunable.FromJson(tuned.Choice);
        Assert.That($"{choice}", Is.EqualTo(tuned.Candidates.Single(c => c.Chosen).Candidate));

        Assert.That(cache.Find(op) is { } cached ? MatmulTunable.FromJson(cached) : null, Is.EqualTo(choice), "stored in the cache");
        Assert.That(Gpu.KernelChoices.Choose(Gpu.Info, op), Is.EqualTo(choice), "and followed by the choice points");
        Assert.That(Gpu.KernelChoices.Missing.Select(o => o.Key), Does.Not.Contain(op.Key));
    }

    [Test]
    public void AnExhaustedBudgetTunesNothingAndWritesNothing()
    {
        var op = new MatmulTunable(37, 19, 23, transposeA: true, transposeB: false);
        var cache = EmptyCache();
        Assert.That(KernelTuner.Tune(Gpu, [op], TuningSearch.Variants, TimeSpan.Zero, cache, step: null).Ops, Is.Empty);
        Assert.That(File.Exists(cache.FilePath), Is.False);
        Assert.That(cache.Find(op), Is.Null);
    }

    /// <summary>Odd sizes, and the products of a dense layer 784 -> 20 at batch 13.</summary>
    private static readonly (int M, int N, int K, bool TransposeA, bool TransposeB)[] MatmulShapes =
        [(33, 17, 65, false, true), (13, 20, 784, false, true), (20, 784, 13, true, false), (13, 784, 20, false, false)];

    [Test]
    public void EveryMatmulCandidateMatchesTheReference()
    {
        var random = new Random(8);
        foreach (var (m, n, k, ta, tb) in MatmulShapes)
        {
            var a = RandomArray(random, m * k);
            var b = RandomArray(random, k * n);
            var expected = MatmulReference.Multiply(a, b, m, n, k, ta, tb);
            using var tensorA = Gpu.CreateTensor("a", a);
            using var tensorB = Gpu.CreateTensor("b", b);
            using var c = Gpu.CreateTensor("c", m * n);
            var candidates = new MatmulTunable(m, n, k, ta, tb).Candidates(Gpu.Info, TuningSearch.LaunchShapes).ToArray();
            Assert.That(candidates.Length, Is.GreaterThan(Enum.GetValues<MatmulVariant>().Length), "launch shapes beside the variants");
            foreach (var candidate in candidates)
            {
                Gpu.Run(r => MatmulKernels.Multiply(r, tensorA, tensorB, c, m, n, k, ta, tb, candidate.Variant, candidate.Tiling));
                AssertClose(c.ToArray(), expected, rtol: 1e-5f, atol: 2e-6f * k, what: $"{m}x{n}x{k} tA{ta} tB{tb} candidate {candidate}");
            }
        }
    }

    [TestCaseSource(typeof(ConvTestCases), nameof(ConvTestCases.ShapeCases))]
    public void EveryConvCandidateMatchesTheReference(int shape)
    {
        var s = ConvTestCases.Shapes[shape];
        var d = ConvTestCases.ConvData.Random(s, shape);
        const uint splits = 2;
        using var t = new ConvPassTensors(Gpu, s, d, splits * s.WeightLength);
        var (narrowGradient, wide) = s.Transposed ? (t.X, t.Dy) : (t.Dy, t.X);
        foreach (bool scatter in new[] { s.Transposed, !s.Transposed })
        {
            bool forward = scatter == s.Transposed;
            var (source, destination) = forward ? (t.X, t.Y) : (t.Dy, t.Dx);
            var expected = forward ? ConvTestCases.ReferenceForward(s, d) : ConvTestCases.ReferenceBackwardInput(s, d);
            foreach (var candidate in new ConvPassTunable(s, scatter).Candidates(Gpu.Info, TuningSearch.LaunchShapes))
            {
                Gpu.Run(r => ConvPasses.GatherOrScatter(r, s, scatter, source, t.W, forward ? t.B : null, destination, candidate.Variant, candidate.Tiling));
                ConvTestCases.AssertConvClose(destination.ToArray(), expected, ConvTestCases.ForwardTerms(s), $"{(forward ? "y" : "dx")} candidate {candidate}");
            }
        }
        foreach (var candidate in new ConvWeightTunable(s, splits).Candidates(Gpu.Info, TuningSearch.LaunchShapes))
        {
            Gpu.Run(r => ConvPasses.Correlate(r, s, narrowGradient, wide, t.Dw, t.Workspace, candidate.Variant, candidate.Tiling));
            ConvTestCases.AssertConvClose(t.Dw.ToArray(), ConvTestCases.ReferenceBackwardWeight(s, d), ConvTestCases.WeightTerms(s), $"dw candidate {candidate}");
        }
    }
}
