using VulkanAE.Kernels.Noise;
using VulkanAE.Models.Layers;

namespace VulkanAE.Tests.Kernels.Noise;

public class CutPasteTests : GpuTest
{
    private const uint Seed = 77, Stream = 9;

    private float[] CutPaste(float[] clean, int images, TensorShape shape, int minSide, int maxSide, uint optimizerStep, uint batch)
    {
        using var state = Gpu.CreateTensor("trainingState", 4);
        state.Upload<uint>([optimizerStep, batch, 0u, 0u]);
        // The second half starts as something else, so every element the kernel should write is checked.
        using var doubled = Gpu.CreateTensor("doubled", [.. clean, .. Enumerable.Repeat(float.NaN, clean.Length)]);
        Gpu.Run(r => CutPasteKernels.AppendCutPasted(r, doubled, state, images, shape, minSide, maxSide, Seed, Stream));
        return doubled.ToArray();
    }

    // Odd sizes, one and three channels, sides capped by the image (16 > 7), and the faces' own shape.
    [TestCase(5, 3, 13, 17, 2, 9)]
    [TestCase(3, 1, 7, 5, 1, 16)]
    [TestCase(9, 3, 64, 64, 4, 16)]
    [TestCase(2, 2, 1, 1, 1, 1)]
    public void MatchesTheReferenceExactly(int images, int channels, int height, int width, int minSide, int maxSide)
    {
        var shape = new TensorShape(channels, height, width);
        var clean = RandomArray(new Random(images * height), images * shape.Size);
        var pasted = CutPaste(clean, images, shape, minSide, maxSide, optimizerStep: 6, batch: 2);
        Assert.That(pasted, Is.EqualTo(CutPasteReference.AppendCutPasted(clean, images, shape, minSide, maxSide, Seed, Stream, 6, 2)).AsCollection);
    }

    [Test]
    public void OnlyThePatchChangesAndItHoldsTheSourcePixels()
    {
        // Every value distinct, so a pixel equal to another names where it was copied from.
        var shape = new TensorShape(3, 11, 9);
        const int images = 40;
        var clean = Enumerable.Range(0, images * shape.Size).Select(i => (float)i).ToArray();
        var pasted = CutPaste(clean, images, shape, 2, 6, optimizerStep: 3, batch: 0);
        for (int n = 0; n < images; n++)
        {
            var p = CutPasteReference.Patch(n, shape, 2, 6, Seed, Stream, 3, 0);
            Assert.That(p.Height, Is.InRange(2, 6));
            Assert.That(p.Width, Is.InRange(2, 6));
            Assert.That(new[] { p.SourceRow + p.Height, p.TargetRow + p.Height }, Is.All.InRange(p.Height, shape.Height), $"image {n}: rows inside");
            Assert.That(new[] { p.SourceColumn + p.Width, p.TargetColumn + p.Width }, Is.All.InRange(p.Width, shape.Width), $"image {n}: columns inside");
            for (int c = 0; c < shape.Channels; c++)
            for (int y = 0; y < shape.Height; y++)
            for (int x = 0; x < shape.Width; x++)
            {
                bool inside = y >= p.TargetRow && y < p.TargetRow + p.Height && x >= p.TargetColumn && x < p.TargetColumn + p.Width;
                int from = inside ? Index(n, c, p.SourceRow + y - p.TargetRow, p.SourceColumn + x - p.TargetColumn) : Index(n, c, y, x);
                Assert.That(pasted[Index(n, c, y, x)], Is.EqualTo(clean[Index(n, c, y, x)]), $"clean image {n}, channel {c}, ({y}, {x})");
                Assert.That(pasted[Index(images + n, c, y, x)], Is.EqualTo(clean[from]), $"pasted image {n}, channel {c}, ({y}, {x})");
            }
        }

        int Index(int n, int c, int y, int x) => ((n * shape.Channels + c) * shape.Height + y) * shape.Width + x;
    }

    [Test]
    public void PatchesReachEveryEdgeAndEverySide()
    {
        var shape = new TensorShape(3, 12, 10);
        var patches = Enumerable.Range(0, 4000).Select(n => CutPasteReference.Patch(n, shape, 2, 5, Seed, Stream, 1, 0)).ToArray();
        Assert.That(patches.Select(p => p.Height).Distinct().Order(), Is.EqualTo(new[] { 2, 3, 4, 5 }));
        Assert.That(patches.Select(p => p.Width).Distinct().Order(), Is.EqualTo(new[] { 2, 3, 4, 5 }));
        Assert.That(patches.Any(p => p.TargetRow == 0) && patches.Any(p => p.TargetRow + p.Height == shape.Height), "a patch at the top and at the bottom");
        Assert.That(patches.Any(p => p.SourceColumn == 0) && patches.Any(p => p.SourceColumn + p.Width == shape.Width), "a patch cut at the left and at the right");
    }

    [Test]
    public void EachStepAndBatchDrawsOtherPatches()
    {
        var shape = new TensorShape(3, 64, 64);
        PastedPatch[] Draw(uint step, uint batch) => Enumerable.Range(0, 32).Select(n => CutPasteReference.Patch(n, shape, 4, 16, Seed, Stream, step, batch)).ToArray();
        var reference = Draw(5, 1);
        Assert.That(reference.Distinct().Count(), Is.EqualTo(32), "images of one batch");
        Assert.That(Draw(6, 1).Intersect(reference), Is.Empty, "next step");
        Assert.That(Draw(5, 2).Intersect(reference), Is.Empty, "next batch");
    }

    [Test]
    public void RefusesAPatchThatCannotFit()
    {
        using var state = Gpu.CreateTensor("trainingState", 4);
        using var batch = Gpu.CreateTensor("batch", 2 * 2 * 3 * 8 * 8);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            Gpu.Run(r => CutPasteKernels.AppendCutPasted(r, batch, state, 2, new TensorShape(3, 8, 8), 9, 12, Seed, Stream)));
        Assert.That(error!.Message, Does.Contain("9..12"));
    }
}
