using VulkanAE.Benchmarks;
using VulkanAE.Core;

namespace VulkanAE.Tests.Kernels.Dense;

/// <summary>Runs the matmul benchmark without the validation layer (which doubles execution time); explicit, so not in CI.</summary>
[Explicit("benchmark: a minute or more; run with --filter FullyQualifiedName~MatmulBenchmarkTests")]
public class MatmulBenchmarkTests : GpuTest
{
    internal override GpuOptions Options => new(Validation: false);

    [Test]
    public void PrintsATable()
    {
        var table = new StringWriter();
        MatmulBenchmark.Run(Gpu, table, repeats: 20);
        TestContext.Out.Write(table.ToString());
        Assert.That(table.ToString(), Does.Contain("GFLOP/s").And.Contain("1024x1024x1024"));
    }
}
