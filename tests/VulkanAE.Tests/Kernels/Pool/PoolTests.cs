using VulkanAE.Kernels.Pool;

namespace VulkanAE.Tests.Kernels.Pool;

public class PoolTests : GpuTest
{
    /// <summary>[batch, channels, height, width]: odd sizes (a last row or column outside every window), and the smallest.</summary>
    private static readonly object[] Shapes = [new[] { 3, 5, 7, 7 }, new[] { 3, 5, 13, 11 }, new[] { 3, 5, 28, 28 }, new[] { 1, 1, 2, 2 }, new[] { 2, 1, 3, 2 }, new[] { 2, 3, 10, 9 }];

    private float[] MaxPoolForward(float[] input, int batch, int channels, int height, int width)
    {
        using var x = Gpu.CreateTensor("input", input);
        using var y = Gpu.CreateTensor("output", batch * channels * (height / 2) * (width / 2));
        Gpu.Run(r => PoolKernels.MaxPool2x2Forward(r, x, y, batch, channels, height, width));
        return y.ToArray();
    }

    private float[] MaxPoolBackward(float[] input, float[] outputGrad, int batch, int channels, int height, int width)
    {
        using var x = Gpu.CreateTensor("input", input);
        using var dy = Gpu.CreateTensor("outputGrad", outputGrad);
        using var dx = Gpu.CreateTensor("inputGrad", Enumerable.Repeat(float.NaN, input.Length).ToArray()); // every element must be written
        Gpu.Run(r => PoolKernels.MaxPool2x2Backward(r, x, dy, dx, batch, channels, height, width));
        return dx.ToArray();
    }

    private float[] UpsampleForward(float[] input, int batch, int channels, int height, int width)
    {
        using var x = Gpu.CreateTensor("input", input);
        using var y = Gpu.CreateTensor("output", 4 * input.Length);
        Gpu.Run(r => PoolKernels.Upsample2xForward(r, x, y, batch, channels, height, width));
        return y.ToArray();
    }

    private float[] UpsampleBackward(float[] outputGrad, int batch, int channels, int height, int width)
    {
        using var dy = Gpu.CreateTensor("outputGrad", outputGrad);
        using var dx = Gpu.CreateTensor("inputGrad", outputGrad.Length / 4);
        Gpu.Run(r => PoolKernels.Upsample2xBackward(r, dy, dx, batch, channels, height, width));
        return dx.ToArray();
    }

    /// <summary>Distinct values 0.05 apart in random order: no ties, and no window's maximum changes under a +-0.01 probe.</summary>
    private static float[] TieFree(Random random, int length)
        => Enumerable.Range(0, length).Select(i => (i - length / 2) * 0.05f).OrderBy(_ => random.Next()).ToArray();

    // Selection and the same additions in the same order: the GPU must match the references exactly.
    private static void AssertExact(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected, string what) => AssertClose(actual, expected, rtol: 0f, atol: 0f, what: what);

    [TestCaseSource(nameof(Shapes))]
    public void MaxPoolForwardMatchesReference(int batch, int channels, int height, int width)
    {
        var input = RandomArray(new Random(height * 100 + width), batch * channels * height * width);
        AssertExact(MaxPoolForward(input, batch, channels, height, width),
            PoolReference.MaxPool2x2Forward(input, batch * channels, height, width), $"max pool [{batch}, {channels}, {height}, {width}]");
    }

    [TestCaseSource(nameof(Shapes))]
    public void MaxPoolBackwardMatchesReference(int batch, int channels, int height, int width)
    {
        var random = new Random(height * 100 + width + 1);
        var input = RandomArray(random, batch * channels * height * width);
        var outputGrad = RandomArray(random, batch * channels * (height / 2) * (width / 2));
        AssertExact(MaxPoolBackward(input, outputGrad, batch, channels, height, width),
            PoolReference.MaxPool2x2Backward(input, outputGrad, batch * channels, height, width), $"max pool grad [{batch}, {channels}, {height}, {width}]");
    }

    [Test]
    public void MaxPoolTiesGoToTheFirstMaximumInRowMajorOrder()
    {
        // A 1x1x3x5 input: windows [5 5; 5 5], [1 3; 3 2]; the last row and column are outside every window.
        float[] input =
        [
            5f, 5f, 1f, 3f, 9f,
            5f, 5f, 3f, 2f, 9f,
            9f, 9f, 9f, 9f, 9f,
        ];
        Assert.That(MaxPoolForward(input, 1, 1, 3, 5), Is.EqualTo(new[] { 5f, 3f }).AsCollection);
        float[] expectedGrad =
        [
            10f, 0f, 0f, 20f, 0f,
            0f, 0f, 0f, 0f, 0f,
            0f, 0f, 0f, 0f, 0f,
        ];
        Assert.That(MaxPoolBackward(input, [10f, 20f], 1, 1, 3, 5), Is.EqualTo(expectedGrad).AsCollection);
    }

    [Test]
    public void MaxPoolPropagatesNaN()
    {
        float[] input = [1f, float.NaN, 2f, 3f];
        Assert.That(float.IsNaN(MaxPoolForward(input, 1, 1, 2, 2)[0]), "max of a window holding NaN");
        Assert.That(MaxPoolBackward(input, [7f], 1, 1, 2, 2), Is.EqualTo(new[] { 0f, 7f, 0f, 0f }).AsCollection);
    }

    [TestCase(3, 5, 7, 7)]
    [TestCase(1, 2, 13, 11)]
    public void MaxPoolBackwardIsTheDerivativeOfForward(int batch, int channels, int height, int width)
    {
        var random = new Random(31);
        var input = TieFree(random, batch * channels * height * width);
        var weights = RandomArray(random, batch * channels * (height / 2) * (width / 2));
        var inputGrad = MaxPoolBackward(input, weights, batch, channels, height, width);
        FiniteDifference.Check(probe => FiniteDifference.WeightedSum(MaxPoolForward(probe, batch, channels, height, width), weights),
            input, inputGrad, "max pool", eps: 1e-2f, samples: 60);
    }

    [TestCaseSource(nameof(Shapes))]
    public void UpsampleForwardMatchesReference(int batch, int channels, int height, int width)
    {
        var input = RandomArray(new Random(height * 100 + width + 2), batch * channels * height * width);
        AssertExact(UpsampleForward(input, batch, channels, height, width),
            PoolReference.Upsample2xForward(input, batch * channels, height, width), $"upsample [{batch}, {channels}, {height}, {width}]");
    }

    [TestCaseSource(nameof(Shapes))]
    public void UpsampleBackwardMatchesReference(int batch, int channels, int height, int width)
    {
        var outputGrad = RandomArray(new Random(height * 100 + width + 3), 4 * batch * channels * height * width);
        AssertExact(UpsampleBackward(outputGrad, batch, channels, height, width),
            PoolReference.Upsample2xBackward(outputGrad, batch * channels, height, width), $"upsample grad [{batch}, {channels}, {height}, {width}]");
    }

    [Test]
    public void UpsampleRepeatsEachElementInA2x2Block()
    {
        Assert.That(UpsampleForward([1f, 2f, 3f, 4f, 5f, 6f], 1, 1, 2, 3), Is.EqualTo(new[]
        {
            1f, 1f, 2f, 2f, 3f, 3f,
            1f, 1f, 2f, 2f, 3f, 3f,
            4f, 4f, 5f, 5f, 6f, 6f,
            4f, 4f, 5f, 5f, 6f, 6f,
        }).AsCollection);
        Assert.That(UpsampleBackward([1f, 2f, 3f, 4f, 10f, 20f, 30f, 40f], 2, 1, 1, 1), Is.EqualTo(new[] { 10f, 100f }).AsCollection);
    }

    [Test]
    public void UpsampleBackwardIsTheDerivativeOfForward()
    {
        const int batch = 3, channels = 5, height = 7, width = 7;
        var random = new Random(37);
        var input = RandomArray(random, batch * channels * height * width);
        var weights = RandomArray(random, 4 * input.Length);
        var inputGrad = UpsampleBackward(weights, batch, channels, height, width);
        FiniteDifference.Check(probe => FiniteDifference.WeightedSum(UpsampleForward(probe, batch, channels, height, width), weights),
            input, inputGrad, "upsample", eps: 1e-2f);
    }

    [Test]
    public void MaxPoolRejectsAnInputWithoutAWindow()
    {
        using var x = Gpu.CreateTensor("input", 7);
        using var y = Gpu.CreateTensor("output", 1);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Gpu.Run(r => PoolKernels.MaxPool2x2Forward(r, x, y, 1, 1, 1, 7)));
        Assert.That(error!.Message, Does.Contain("1x7"));
    }
}
