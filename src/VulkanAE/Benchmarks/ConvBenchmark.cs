using VulkanAE.Core;
using VulkanAE.Kernels.Conv;

namespace VulkanAE.Benchmarks;

/// <summary>
/// GFLOP/s of every convolution op and variant on the layers of conv-ae and conv-vae at batch
/// 128: forward, backward-input and backward-weight (each 2 x the layer's multiply-adds, the
/// weight gradient with its batch splits and their sum), and the bias gradient (1 flop per
/// element summed). Times are GPU timestamps (median of repeats after a warm-up; see KernelTiming).
/// </summary>
internal static class ConvBenchmark
{
    private const int Batch = 128;

    private static readonly (string Model, Conv2dShape Shape)[] Layers =
    [
        ("conv-ae", new(Batch, 1, 28, 28, 32, 3, 1, 1)),
        ("conv-ae", new(Batch, 32, 14, 14, 32, 3, 1, 1)),
        ("conv-ae", new(Batch, 32, 7, 7, 32, 3, 1, 1)),
        ("conv-ae", new(Batch, 32, 28, 28, 1, 3, 1, 1)),
        ("conv-vae", new(Batch, 1, 28, 28, 32, 3, 2, 1)),
        ("conv-vae", new(Batch, 32, 14, 14, 64, 3, 2, 1)),
        ("conv-vae", new(Batch, 64, 7, 7, 64, 3, 2, 1, 1, Transposed: true)),
        ("conv-vae", new(Batch, 64, 14, 14, 32, 3, 2, 1, 1, Transposed: true)),
    ];

    private enum Op { Forward, BackwardInput, BackwardWeight, BackwardBias }

    public static void Run(Gpu gpu, TextWriter output, int repeats)
    {
        if (!gpu.Info.TimestampsOnComputeQueue)
            throw new InvalidOperationException($"{gpu.Info.Name}: its compute queue has no timestamps, which the conv benchmark times with.");
        var defaultVariant = ConvPasses.DefaultVariant(gpu.Info);
        output.WriteLine($"Conv2d / ConvTranspose2d on {gpu.Info.Name} ({gpu.Info.Type}), batch {Batch}; median GPU time of up to {repeats} runs; * = default for this device");
        if (gpu.Info.IsCpu)
            output.WriteLine("CPU ms: this process's CPU time per run, all threads (the work a CPU driver does, whatever else holds the cores), least of 3 groups of runs");
        output.WriteLine($"{"model",-9} {"layer",-34} {"op",-15} {"variant",-19} {"tile",-26} {"ms",9} {"GFLOP/s",8} {"CPU ms",8}");
        var random = new Random(1);
        foreach (var (model, s) in Layers)
        {
            using var x = gpu.CreateTensor("x", KernelTiming.RandomValues(random, s.InputLength));
            using var w = gpu.CreateTensor("w", KernelTiming.RandomValues(random, s.WeightLength));
            using var b = gpu.CreateTensor("b", KernelTiming.RandomValues(random, s.OutChannels));
            using var dy = gpu.CreateTensor("dy", KernelTiming.RandomValues(random, s.OutputLength));
            using var y = gpu.CreateTensor("y", s.OutputLength);
            using var dx = gpu.CreateTensor("dx", s.InputLength);
            using var dw = gpu.CreateTensor("dw", s.WeightLength);
            using var db = gpu.CreateTensor("db", s.OutChannels);
            using var workspace = gpu.CreateTensor("workspace", Math.Max(1, ConvKernels.BackwardWeightWorkspaceLength(gpu.Info, s)));
            foreach (var op in Enum.GetValues<Op>())
                foreach (var variant in Variants(gpu.Info, op, defaultVariant))
                {
                    void Record(SequenceRecorder r)
                    {
                        switch (op)
                        {
                            case Op.Forward: ConvKernels.Forward(r, s, x, w, b, y, variant); break;
                            case Op.BackwardInput: ConvKernels.BackwardInput(r, s, dy, w, dx, variant); break;
                            case Op.BackwardWeight: ConvKernels.BackwardWeight(r, s, x, dy, dw, workspace, variant); break;
                            case Op.BackwardBias: ConvKernels.BackwardBias(r, s, dy, db); break;
                        }
                    }
                    double ms = KernelTiming.MedianMilliseconds(gpu, "conv benchmark", Record, repeats);
                    double cpuMs = gpu.Info.IsCpu ? KernelTiming.CpuMillisecondsPerRun(gpu, "conv benchmark", Record, Math.Max(1, repeats / 4)) : double.NaN;
                    double flops = op == Op.BackwardBias ? s.OutputLength : s.Flops;
                    string label = op == Op.BackwardBias ? "-" : $"{(int)variant} {variant}{(variant == defaultVariant ? " *" : "")}";
                    output.WriteLine($"{model,-9} {Describe(s),-34} {op,-15} {label,-19} {Tiling(gpu.Info, s, op, variant),-26} {ms,9:F3} {flops / (ms * 1e6),8:F2} {CpuColumn(cpuMs)}");
                }
            output.Flush();
        }
    }

    /// <summary>The variants this device runs for <paramref name="op"/>, each distinct kernel once.</summary>
    private static IEnumerable<ConvVariant> Variants(DeviceInfo device, Op op, ConvVariant defaultVariant) => op switch
    {
        Op.BackwardBias => [defaultVariant],
        _ => Enum.GetValues<ConvVariant>().Where(v => ConvPasses.IsSupported(device, v)),
    };

    private static string CpuColumn(double ms) => double.IsNaN(ms) ? "-" : ms.ToString("F2");

    private static string Describe(Conv2dShape s)
        => $"{(s.Transposed ? "convT" : "conv")} {s.InChannels}->{s.OutChannels} k{s.Kernel}s{s.Stride}p{s.Padding} {s.InHeight}->{s.OutHeight}";

    private static string Tiling(DeviceInfo device, Conv2dShape s, Op op, ConvVariant variant) => op switch
    {
        Op.Forward => ConvPasses.DefaultTiling(device, s, scatter: s.Transposed, variant).ToString(),
        Op.BackwardInput => ConvPasses.DefaultTiling(device, s, scatter: !s.Transposed, variant).ToString(),
        Op.BackwardWeight => ConvPasses.DefaultWeightTiling(device, s, variant).ToString(),
        _ => "",
    };
}
