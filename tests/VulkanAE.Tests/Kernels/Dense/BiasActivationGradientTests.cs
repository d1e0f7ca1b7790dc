using VulkanAE.Kernels.Activation;
using VulkanAE.Kernels.Dense;

namespace VulkanAE.Tests.Kernels.Dense;

/// <summary>
/// dense/bias_activation_gradient.comp: the backward of an activation after a dense layer, fused
/// with the layer's bias gradient (dz = dy * f'(y), dbias = column sums of dz), against the CPU
/// reference and against finite differences of the GPU forward pass (bias add, then activation).
/// </summary>
public class BiasActivationGradientTests : GpuTest
{
    // Column counts that are multiples of 4 take the vec4 path.
    private static readonly (int Rows, int Cols)[] Shapes = [(1, 1), (7, 33), (33, 7), (257, 1001), (5, 36), (3, 784)];
    private static readonly ActivationKind[] Kinds = Enum.GetValues<ActivationKind>();

    private (float[] Dz, float[] Dbias) Run(ActivationKind kind, float[] output, float[] upstream, int rows, int cols)
    {
        using var y = Gpu.CreateTensor("y", output);
        using var dy = Gpu.CreateTensor("dy", upstream);
        using var dz = Gpu.CreateTensor("dz", output.Length);
        using var dbias = Gpu.CreateTensor("dbias", cols);
        Gpu.Run(r => BiasKernels.GradientThroughActivation(r, kind, y, dy, dz, dbias, rows, cols));
        return (dz.ToArray(), dbias.ToArray());
    }

    [Test]
    public void MatchesReference([ValueSource(nameof(Kinds))] ActivationKind kind, [ValueSource(nameof(Shapes))] (int Rows, int Cols) shape)
    {
        var random = new Random(24);
        var (rows, cols) = shape;
        var output = ActivationReference.Forward(kind, RandomArray(random, rows * cols, -3f, 3f));
        var upstream = RandomArray(random, rows * cols);
        var (dz, dbias) = Run(kind, output, upstream, rows, cols);
        var expected = BiasReference.GradientThroughActivation(kind, output, upstream, rows, cols);
        AssertClose(dz, expected.Dz, what: $"{kind} dz");
        AssertClose(dbias, expected.Dbias, rtol: 1e-5f, atol: 1e-6f * rows, what: $"{kind} dbias");
    }

    [Test]
    public void IsDeterministic()
    {
        var random = new Random(25);
        var output = ActivationReference.Forward(ActivationKind.Tanh, RandomArray(random, 1001 * 37));
        var upstream = RandomArray(random, output.Length);
        var first = Run(ActivationKind.Tanh, output, upstream, 1001, 37);
        var second = Run(ActivationKind.Tanh, output, upstream, 1001, 37);
        var vector = Run(ActivationKind.Tanh, output, upstream, 1001 * 37 / 4, 4);
        var vectorAgain = Run(ActivationKind.Tanh, output, upstream, 1001 * 37 / 4, 4);
        Assert.That(vectorAgain.Dbias, Is.EqualTo(vector.Dbias));
        Assert.That(second.Dbias, Is.EqualTo(first.Dbias));
        Assert.That(second.Dz, Is.EqualTo(first.Dz));
    }

    [Test]
    public void IsTheDerivativeOfBiasAndActivation([ValueSource(nameof(Kinds))] ActivationKind kind, [Values(7, 8)] int cols)
    {
        const int rows = 5;
        var random = new Random(26);
        // Pre-activations away from ReLU's kink by more than the probes' step (bias zero, eps 1e-2).
        var z = RandomArray(random, rows * cols, -2f, 2f).Select(v => MathF.Abs(v) < 0.05f ? v + 0.1f : v).ToArray();
        var bias = new float[cols];
        var weights = RandomArray(random, rows * cols);

        // L = sum(G * f(z + b)), from the GPU forward pass: the matmul epilogue's bias and activation on z . I (exact)
        var identity = new float[cols * cols];
        for (int c = 0; c < cols; c++) identity[c * cols + c] = 1f;
        double Loss(float[] preActivation, float[] b)
        {
            using var zb = Gpu.CreateTensor("z", preActivation);
            using var ib = Gpu.CreateTensor("identity", identity);
            using var tb = Gpu.CreateTensor("b", b);
            using var y = Gpu.CreateTensor("y", preActivation.Length);
            Gpu.Run(r => MatmulKernels.Multiply(r, zb, ib, y, rows, cols, cols, transposeA: false, transposeB: false, epilogue: new MatmulEpilogue(tb, kind)));
            return FiniteDifference.WeightedSum(y.ToArray(), weights);
        }

        var output = ActivationReference.Forward(kind, z);
        var (dz, dbias) = Run(kind, output, weights, rows, cols);
        FiniteDifference.Check(p => Loss(p, bias), z, dz, $"{kind} dz", samples: z.Length);
        FiniteDifference.Check(p => Loss(z, p), bias, dbias, $"{kind} dbias");
    }
}
