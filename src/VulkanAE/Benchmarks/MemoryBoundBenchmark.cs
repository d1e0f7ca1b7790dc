using VulkanAE.Core;
using VulkanAE.Kernels.Activation;
using VulkanAE.Kernels.Loss;
using VulkanAE.Kernels.Noise;
using VulkanAE.Kernels.Optim;
using VulkanAE.Kernels.Pool;
using VulkanAE.Kernels.Training;

namespace VulkanAE.Benchmarks;

/// <summary>
/// The memory-bound kernels at the sizes the models use, in GB/s of the bytes each must move
/// (every input read once, every output written once), beside the scalar path where a kernel has
/// a vec4 one: how far each is from the device's bandwidth, and what vec4 access buys.
/// </summary>
internal static class MemoryBoundBenchmark
{
    private const int Rows = 256, Pixels = 784, Channels = 32, Side = 28;

    public static void Run(Gpu gpu, TextWriter output, int repeats)
    {
        output.WriteLine($"Memory-bound kernels on {gpu.Info.Name} ({gpu.Info.Type}); median GPU time of up to {repeats} runs");
        output.WriteLine($"{"kernel",-44} {"elements",10} {"ms",9} {"GB/s",7}");
        var random = new Random(1);
        long images = (long)Rows * Pixels, maps = (long)Rows * Channels * Side * Side;
        using var a = gpu.CreateTensor("a", KernelTiming.RandomValues(random, maps));
        using var b = gpu.CreateTensor("b", KernelTiming.RandomValues(random, maps));
        using var c = gpu.CreateTensor("c", KernelTiming.RandomValues(random, maps));
        using var d = gpu.CreateTensor("d", KernelTiming.RandomValues(random, maps));
        using var rowLoss = gpu.CreateTensor("row_loss", Rows);
        using var state = new TrainingState(gpu);
        state.OptimizerStep = 1;

        void Time(string label, long elements, int floatsPerElement, Action<SequenceRecorder> record)
        {
            double ms = KernelTiming.MedianMilliseconds(gpu, label, record, repeats);
            output.WriteLine($"{label,-44} {elements,10} {ms,9:F3} {elements * floatsPerElement * 4 / (ms * 1e6),7:F2}");
        }

        foreach (long count in new[] { images, images - 1 }) // the second is not a multiple of 4: the scalar path
        {
            string path = count % 4 == 0 ? "vec4" : "scalar";
            Time($"activation forward sigmoid ({path})", count, 2, r => ActivationKernels.Forward(r, ActivationKind.Sigmoid, a, b, count));
            Time($"activation backward relu ({path})", count, 3, r => ActivationKernels.Backward(r, ActivationKind.Relu, a, b, c, count));
            Time($"adam ({path})", count, 7, r => AdamKernels.Step(r, a, b, c, d, state.Tensor, (int)count, new AdamSettings()));
        }
        Time("bce with logits 256 x 784", images, 3, r => LossKernels.BinaryCrossEntropyWithLogits(r, a, b, c, rowLoss, Rows, Pixels, 1f / images));
        Time("max-pool 2x2 forward 256 x 32 x 28 x 28", maps, 1, r => PoolKernels.MaxPool2x2Forward(r, a, b, Rows, Channels, Side, Side));
        Time("max-pool 2x2 backward 256 x 32 x 28 x 28", maps, 2, r => PoolKernels.MaxPool2x2Backward(r, a, b, c, Rows, Channels, Side, Side));
        Time("upsample 2x forward 256 x 32 x 14 x 14", maps, 1, r => PoolKernels.Upsample2xForward(r, a, b, Rows, Channels, Side / 2, Side / 2));
        Time("upsample 2x backward 256 x 32 x 14 x 14", maps, 1, r => PoolKernels.Upsample2xBackward(r, a, b, Rows, Channels, Side / 2, Side / 2));
        var face = new Models.Layers.TensorShape(3, 64, 64);
        Time("cut-paste 32 x 3 x 64 x 64 (face-cutpaste)", 32L * face.Size, 2, r => CutPasteKernels.AppendCutPasted(r, a, state.Tensor, 32, face, 4, 16, 1, 1));
    }
}
