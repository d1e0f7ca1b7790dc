using VulkanAE.Kernels.Dense;

namespace VulkanAE.Tests.Kernels.Dense;

/// <summary>
/// The dense layer's products compose into gradients: for Y = X · W^T + b (the bias added by the
/// matmul's epilogue) and the probe loss
/// L = sum(G ⊙ Y), dL/dY = G, so dX = G · W, dW = G^T · X and db = column sums of G, checked
/// against finite differences of the GPU forward pass, for every variant.
/// </summary>
public class DenseGradientTests : GpuTest
{
    private const int Batch = 5, In = 7, Out = 6;

    private float[] Forward(MatmulVariant variant, float[] x, float[] w, float[] bias)
    {
        using var tx = Gpu.CreateTensor("x", x);
        using var tw = Gpu.CreateTensor("w", w);
        using var tb = Gpu.CreateTensor("bias", bias);
        using var y = Gpu.CreateTensor("y", Batch * Out);
        Gpu.Run(r => MatmulKernels.Multiply(r, tx, tw, y, Batch, Out, In, transposeA: false, transposeB: true, variant, new MatmulEpilogue(tb)));
        return y.ToArray();
    }

    [TestCase(MatmulVariant.Naive)]
    [TestCase(MatmulVariant.RegisterBlocked)]
    [TestCase(MatmulVariant.SharedMemoryTiled)]
    [TestCase(MatmulVariant.SubgroupShared)]
    [TestCase(MatmulVariant.SubgroupBlock)]
    [TestCase(MatmulVariant.SubgroupBlockInt64)]
    [TestCase(MatmulVariant.SubgroupBlockTexel)]
    public void BackwardProductsAreTheGradients(MatmulVariant variant)
    {
        Assume.That(MatmulKernels.IsSupported(Gpu.Info, variant), $"{Gpu.Info.Name} lacks what matmul variant {variant} needs");
        var random = new Random(31);
        var x = RandomArray(random, Batch * In);
        var w = RandomArray(random, Out * In);
        var bias = RandomArray(random, Out);
        var g = RandomArray(random, Batch * Out);

        using var tx = Gpu.CreateTensor("x", x);
        using var tw = Gpu.CreateTensor("w", w);
        using var dy = Gpu.CreateTensor("dy", g);
        using var dx = Gpu.CreateTensor("dx", Batch * In);
        using var dw = Gpu.CreateTensor("dw", Out * In);
        using var db = Gpu.CreateTensor("db", Out);
        Gpu.Run(r =>
        {
            MatmulKernels.Multiply(r, dy, tw, dx, Batch, In, Out, transposeA: false, transposeB: false, variant);
            MatmulKernels.Multiply(r, dy, tx, dw, Out, In, Batch, transposeA: true, transposeB: false, variant);
            BiasKernels.Gradient(r, dy, db, Batch, Out);
        });

        FiniteDifference.Check(p => FiniteDifference.WeightedSum(Forward(variant, p, w, bias), g), x, dx.ToArray(), "dX", samples: x.Length);
        FiniteDifference.Check(p => FiniteDifference.WeightedSum(Forward(variant, x, p, bias), g), w, dw.ToArray(), "dW", samples: w.Length);
        FiniteDifference.Check(p => FiniteDifference.WeightedSum(Forward(variant, x, w, p), g), bias, db.ToArray(), "db");
    }
}
