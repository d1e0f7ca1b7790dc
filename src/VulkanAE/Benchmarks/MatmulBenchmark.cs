using VulkanAE.Core;
using VulkanAE.Kernels.Dense;

namespace VulkanAE.Benchmarks;

/// <summary>
/// GFLOP/s of every matmul variant (and a few other register tiles of the subgroup-block variants)
/// on the products of the fc-vae (batch 128) and fc-ae (batch 256) dense layers, forward and both
/// backward products, and on 1024^3, with each one's share of the device's FMA peak. Times are GPU
/// timestamps of one dispatch (median of repeats, after a warm-up that pays the driver's shader
/// JIT); on a CPU driver also this process's CPU time per dispatch and its share of the CPU-time
/// FMA peak, which other processes on the cores disturb far less. tools/bench_matmul_pytorch.py
/// times the same shapes with PyTorch, for comparison.
/// </summary>
internal static class MatmulBenchmark
{
    /// <summary>One product: the layer it belongs to, which of its three products, and its shape.</summary>
    private sealed record Case(string Layer, string Op, int M, int N, int K, bool TransposeA, bool TransposeB)
    {
        public double Flops => 2.0 * M * N * K;
    }

    private sealed record Candidate(MatmulVariant Variant, MatmulTiling Tiling, bool IsDefault);

    /// <summary>Each model's dense layers (in, out) and batch; fc-vae's two latent heads share one shape.</summary>
    private static readonly (string Model, int Batch, (int In, int Out)[] Layers)[] Models =
    [
        ("fc-vae", 128, [(784, 400), (400, 20), (20, 400), (400, 784)]),
        ("fc-ae", 256, [(784, 128), (128, 32), (32, 128), (128, 784)]),
    ];

    /// <summary>The three products of Y = X · W^T with X [batch, in] and W [out, in].</summary>
    private static IEnumerable<Case> Cases()
    {
        foreach (var (model, batch, layers) in Models)
            foreach (var (input, output) in layers)
            {
                string layer = $"{model} {input}->{output}";
                yield return new Case(layer, "forward", batch, output, input, false, true);
                yield return new Case(layer, "dX", batch, input, output, false, false);
                yield return new Case(layer, "dW", output, input, batch, true, false);
            }
        yield return new Case("1024^3", "C=A·B", 1024, 1024, 1024, false, false);
    }

    private static IEnumerable<Candidate> Candidates(DeviceInfo device)
    {
        var defaultVariant = MatmulKernels.DefaultVariant(device);
        foreach (var variant in Enum.GetValues<MatmulVariant>().Where(v => MatmulKernels.IsSupported(device, v)))
        {
            var tiling = MatmulKernels.DefaultTiling(device, variant);
            yield return new Candidate(variant, tiling, variant == defaultVariant);
            if (variant is not (MatmulVariant.SubgroupBlock or MatmulVariant.SubgroupBlockInt64 or MatmulVariant.SubgroupBlockTexel)) continue;
            // Other register tiles, to show why the default was chosen.
            foreach (var (rows, cols) in new[] { (8u, 8u), (32u, 8u), (16u, 16u) })
                if ((rows, cols) != (tiling.TileM, tiling.TileN))
                    yield return new Candidate(variant, tiling with { TileM = rows, TileN = cols }, false);
        }
    }

    public static void Run(Gpu gpu, TextWriter output, int repeats, Roofline roofline)
    {
        if (!gpu.Info.TimestampsOnComputeQueue)
            throw new InvalidOperationException($"{gpu.Info.Name}: its compute queue has no timestamps, which the matmul benchmark times with.");
        bool cpu = gpu.Info.IsCpu;
        output.WriteLine($"Matmul on {gpu.Info.Name} ({gpu.Info.Type}); median GPU time of up to {repeats} runs; * = default for this device");
        if (cpu)
            output.WriteLine("CPU ms: this process's CPU time per dispatch, all threads, least of 3 groups of runs; CPU peak: its share of the FMA peak per CPU second");
        output.WriteLine($"{"layer",-18} {"op",-8} {"M x N x K",-16} {"variant",-24} {"tile",-18} {"ms",9} {"GFLOP/s",8} {"peak",5}" +
            (cpu ? $" {"CPU ms",8} {"CPU peak",8}" : ""));
        var random = new Random(1);
        foreach (var product in Cases())
        {
            using var a = gpu.CreateTensor("A", KernelTiming.RandomValues(random, product.M * product.K));
            using var b = gpu.CreateTensor("B", KernelTiming.RandomValues(random, product.K * product.N));
            using var c = gpu.CreateTensor("C", (long)product.M * product.N);
            foreach (var candidate in Candidates(gpu.Info))
            {
                void Record(SequenceRecorder r) => MatmulKernels.Multiply(r, a, b, c,
                    product.M, product.N, product.K, product.TransposeA, product.TransposeB, candidate.Variant, candidate.Tiling);
                double ms = KernelTiming.MedianMilliseconds(gpu, "matmul benchmark", Record, repeats);
                double gflops = product.Flops / (ms * 1e6);
                string variant = $"{(int)candidate.Variant} {candidate.Variant}{(candidate.IsDefault ? " *" : "")}";
                string cpuColumns = "";
                if (cpu)
                {
                    double cpuMs = KernelTiming.CpuMillisecondsPerRun(gpu, "matmul benchmark", Record, Math.Max(1, repeats / 4));
                    cpuColumns = $" {cpuMs,8:F3} {roofline.ShareOfCpuFma(product.Flops / (cpuMs * 1e6)),8:P0}";
                }
                output.WriteLine($"{product.Layer,-18} {product.Op,-8} {$"{product.M}x{product.N}x{product.K}",-16} {variant,-24} " +
                    $"{candidate.Tiling,-18} {ms,9:F3} {gflops,8:F2} {roofline.ShareOfFma(gflops),5:P0}{cpuColumns}");
            }
            output.Flush();
        }
    }
}
