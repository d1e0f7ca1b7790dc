using VulkanAE.Kernels.Roofline;

namespace VulkanAE.Tests.Kernels.Roofline;

public class RooflineTests : GpuTest
{
    // Odd invocation counts (no whole workgroup), step counts before and after the chains converge,
    // fewer steps than one loop iteration and a remainder after the unrolled iterations.
    [TestCase(1, 1, 1, 1)]
    [TestCase(67, 3, 2, 4)]
    [TestCase(1000, 5, 4, 4)]
    [TestCase(333, 40, 6, 16)]
    [TestCase(129, 37, 8, 2)]
    public void FmaChainsMatchReference(int invocations, int steps, int chains, int stepsPerIteration)
    {
        var offsets = RandomArray(new Random(chains), chains);
        using var o = Gpu.CreateTensor("offsets", offsets);
        using var result = Gpu.CreateTensor("result", invocations);
        Gpu.Run(r => RooflineKernels.FmaChains(r, o, result, invocations, steps, chains, stepsPerIteration, 0.5f, 64));
        // Every product by 0.5 is exact, so fused or not the GPU gives the reference's bits.
        AssertClose(result.ToArray(), RooflineReference.FmaChains(offsets, invocations, steps, chains, 0.5f), rtol: 0, atol: 0, what: "chain sums");
    }

    [Test]
    public void ShaderCopyCopies()
    {
        var values = RandomArray(new Random(3), 4 * 1001);
        using var source = Gpu.CreateTensor("source", values);
        using var destination = Gpu.CreateTensor("destination", values.Length);
        Gpu.Run(r => RooflineKernels.Copy(r, source, destination));
        AssertClose(destination.ToArray(), values, rtol: 0, atol: 0, what: "copy");
    }
}
