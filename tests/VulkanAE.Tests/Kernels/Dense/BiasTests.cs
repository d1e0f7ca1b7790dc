using VulkanAE.Kernels.Dense;

namespace VulkanAE.Tests.Kernels.Dense;

public class BiasTests : GpuTest
{
    private static readonly (int Rows, int Cols)[] Shapes = [(1, 1), (7, 33), (33, 7), (257, 1001), (13, 4), (5, 36), (3, 784)];

    [TestCaseSource(nameof(Shapes))]
    public void GradientMatchesReference((int Rows, int Cols) shape)
    {
        var upstream = RandomArray(new Random(22), shape.Rows * shape.Cols);
        using var dy = Gpu.CreateTensor("dy", upstream);
        using var dbias = Gpu.CreateTensor("dbias", shape.Cols);
        Gpu.Run(r => BiasKernels.Gradient(r, dy, dbias, shape.Rows, shape.Cols));
        // float sums over rows against the double reference
        AssertClose(dbias.ToArray(), BiasReference.Gradient(upstream, shape.Rows, shape.Cols), rtol: 1e-5f, atol: 1e-6f * shape.Rows, what: "dbias");
    }

    [Test]
    public void GradientIsDeterministic()
    {
        var upstream = RandomArray(new Random(23), 1001 * 37);
        using var dy = Gpu.CreateTensor("dy", upstream);
        using var first = Gpu.CreateTensor("first", 37);
        using var second = Gpu.CreateTensor("second", 37);
        Gpu.Run(r =>
        {
            BiasKernels.Gradient(r, dy, first, 1001, 37);
            BiasKernels.Gradient(r, dy, second, 1001, 37);
        });
        Assert.That(second.ToArray(), Is.EqualTo(first.ToArray()));
    }
}
