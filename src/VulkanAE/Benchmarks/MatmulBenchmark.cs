using VulkanAE.Core;
using VulkanAE.Kernels.Dense;

namespace VulkanAE.Benchmarks;

/// <summary>
/// GFLOP/s of every matmul variant (and a few register tiles) on the products of the fc-ae dense
/// layers at batch 256, forward and both backward products, and on 1024^3. Times are GPU
/// timestamps of one dispatch (median of repeats, after a warm-up that pays the driver's shader
/// JIT). tools/bench_matmul_pytorch.py times the same shapes with PyTorch, for comparison.
/// </summary>
internal static class MatmulBenchmark
{
    /// <summary>One product: the layer it belongs to, which of its three products, and its shape.</summary>
    private sealed record Case(string Layer, string Op, int M, int N, int K, bool TransposeA, bool TransposeB)
    {
        public double Flops => 2.0 * M * N * K;
    }

    private sealed record Candidate(MatmulVariant Variant, MatmulTiling Tiling, bool IsDefault);

    private const int Batch = 256;
    private static readonly (int In, int Out)[] FcAeLayers = [(784, 128), (128, 32), (32, 128), (128, 784)];

    /// <summary>The three products of Y = X · W^T with X [batch, in] and W [out, in].</summary>
    private static IEnumerable<Case> Cases()
    {
        foreach (var (input, output) in FcAeLayers)
        {
            string layer = $"{Batch}x{input}->{output}";
            yield return new Case(layer, "forward", Batch, output, input, false, true);
            yield return new Case(layer, "dX", Batch, input, output, false, false);
            yield return new Case(layer, "dW", output, input, Batch, true, false);
        }
        yield return new Case("1024^3", "C=A·B", 1024, 1024, 1024, false, false);
    }

    private static IEnumerable<Candidate> Candidates(DeviceInfo device)
    {
        var defaultVariant = MatmulKernels.DefaultVariant(device);
        var defaultTiling = MatmulKernels.DefaultTiling(device, defaultVariant);
        foreach (var variant in Enum.GetValues<MatmulVariant>().Where(v => MatmulKernels.IsSupported(device, v)))
        {
            var tiling = MatmulKernels.DefaultTiling(device, variant);
            yield return new Candidate(variant, tiling, variant == defaultVariant);
            if (variant is not (MatmulVariant.RegisterBlocked or MatmulVariant.SubgroupShared)) continue;
            // Other register tiles, to show why the default was chosen.
            foreach (var (rows, cols) in new[] { (4u, 4u), (4u, 8u), (6u, 8u), (8u, 8u), (8u, 16u) })
                if ((rows, cols) != (tiling.TileM, tiling.TileN))
                    yield return new Candidate(variant, tiling with { TileM = rows, TileN = cols }, false);
        }
    }

    public static void Run(Gpu gpu, TextWriter output, int repeats, Roofline roofline)
    {
        if (!gpu.Info.TimestampsOnComputeQueue)
            throw new InvalidOperationException($"{gpu.Info.Name}: its compute queue has no timestamps, which the matmul benchmark times with.");
        output.WriteLine($"Matmul on {gpu.Info.Name} ({gpu.Info.Type}); median GPU time of up to {repeats} runs; * = default for this device");
        output.WriteLine($"{"layer",-16} {"op",-8} {"M x N x K",-16} {"variant",-20} {"tile",-18} {"ms",9} {"GFLOP/s",8} {"peak",5}");
        var random = new Random(1);
        foreach (var product in Cases())
        {
            using var a = gpu.CreateTensor("A", KernelTiming.RandomValues(random, product.M * product.K));
            using var b = gpu.CreateTensor("B", KernelTiming.RandomValues(random, product.K * product.N));
            using var c = gpu.CreateTensor("C", (long)product.M * product.N);
            foreach (var candidate in Candidates(gpu.Info))
            {
                double ms = MedianMilliseconds(gpu, product, candidate, a, b, c, repeats);
                double gflops = product.Flops / (ms * 1e6);
                string variant = $"{(int)candidate.Variant} {candidate.Variant}{(candidate.IsDefault ? " *" : "")}";
                output.WriteLine($"{product.Layer,-16} {product.Op,-8} {$"{product.M}x{product.N}x{product.K}",-16} {variant,-20} " +
                    $"{candidate.Tiling,-18} {ms,9:F3} {gflops,8:F2} {roofline.ShareOfFma(gflops),5:P0}");
            }
            output.Flush();
        }
    }

    private static double MedianMilliseconds(Gpu gpu, Case product, Candidate candidate, Tensor a, Tensor b, Tensor c, int repeats)
        => KernelTiming.MedianMilliseconds(gpu, "matmul benchmark", r => MatmulKernels.Multiply(r, a, b, c,
            product.M, product.N, product.K, product.TransposeA, product.TransposeB, candidate.Variant, candidate.Tiling), repeats);
}
