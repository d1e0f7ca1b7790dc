using System.CommandLine;
using VulkanAE.Benchmarks;
using VulkanAE.Core;
using VulkanAE.Models;

namespace VulkanAE.Cli;

/// <summary>
/// `vae bench`: the device's FMA peak and copy bandwidth, GFLOP/s of every matmul and convolution variant on the models'
/// shapes, GB/s of the memory-bound kernels, a per-kernel profile of a training step, and seconds per epoch.
/// </summary>
internal static class BenchCommand
{
    private static readonly string[] Suites = ["roofline", "matmul", "conv", "memory", "steps", "training", "scaling", "iw"];

    public static Command Create()
    {
        var suites = new Option<string[]>("--suite")
        {
            Description = "What to measure: roofline (FMA peak and copy bandwidth, which the matmul and training suites give shares of), matmul (variants on the dense models' shapes), conv (variants on the conv models' shapes), memory (GB/s of the elementwise, loss, optimizer and pooling kernels), steps (dispatches and bytes moved per training step of every model, counted without running), training (step profile and epoch time), scaling (one epoch on 1x-8x synthetic faces: seconds, peak host and device memory), iw (profile and samples/s of `vae evaluate --iw` on a VAE, --model fc-vae); default: all",
            AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => Suites,
        };
        suites.AcceptOnlyFromAmong(Suites);
        var model = new Option<string>("--model") { Description = "Model whose training step and epoch are timed", DefaultValueFactory = _ => "fc-ae" };
        model.AcceptOnlyFromAmong(ModelCatalog.Names.ToArray());
        var device = new Option<int?>("--device") { Description = "Vulkan device index from `vae devices`" };
        var repeats = new Option<int>("--repeats") { Description = "Timed runs per kernel (the median is reported)", DefaultValueFactory = _ => 20 };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs to time", DefaultValueFactory = _ => 1 };
        var scalingImages = new Option<int>("--scaling-images") { Description = "The scaling suite's 1x: synthetic 64x64 RGB faces", DefaultValueFactory = _ => 256 };
        var scalingBudget = new Option<int>("--scaling-device-mb")
        {
            Description = "The scaling suite's --device-dataset-mb: the sets larger than this stream through two buffers of half of it",
            DefaultValueFactory = _ => 8,
        };
        var iw = new Option<int>("--iw") { Description = "iw suite: importance samples per image", DefaultValueFactory = _ => 5000, HelpName = "K" };
        var images = new Option<int>("--images") { Description = "iw suite: test images timed", DefaultValueFactory = _ => 4 };
        var command = new Command("bench", "Benchmark the kernels and a training epoch on a Vulkan device; prints GFLOP/s and seconds per epoch.")
        {
            suites, model, device, repeats, epochs, scalingImages, scalingBudget, iw, images,
        };
        command.SetAction(parse =>
        {
            var chosen = parse.GetValue(suites)!;
            using var gpu = new Gpu(new GpuOptions(parse.GetValue(device)));
            // Measured once, printed, and used by every suite that gives shares of it.
            Roofline? measured = null;
            Roofline Ceilings()
            {
                if (measured is null)
                {
                    measured = RooflineBenchmark.Measure(gpu, Console.Out, parse.GetValue(repeats));
                    Console.WriteLine();
                }
                return measured;
            }
            if (chosen.Contains("roofline")) Ceilings();
            if (chosen.Contains("matmul"))
            {
                MatmulBenchmark.Run(gpu, Console.Out, parse.GetValue(repeats), Ceilings());
                Console.WriteLine();
            }
            if (chosen.Contains("conv"))
            {
                ConvBenchmark.Run(gpu, Console.Out, parse.GetValue(repeats));
                Console.WriteLine();
            }
            if (chosen.Contains("memory"))
            {
                MemoryBoundBenchmark.Run(gpu, Console.Out, parse.GetValue(repeats));
                Console.WriteLine();
            }
            if (chosen.Contains("steps"))
            {
                TrainingBenchmark.Census(gpu, Console.Out);
                Console.WriteLine();
            }
            if (chosen.Contains("training"))
            {
                TrainingBenchmark.Run(gpu, Console.Out, parse.GetValue(model)!, parse.GetValue(epochs), Ceilings());
                Console.WriteLine();
            }
            if (chosen.Contains("scaling"))
                ScalingBenchmark.Run(gpu, Console.Out, parse.GetValue(scalingImages), parse.GetValue(scalingBudget));
            if (chosen.Contains("iw"))
                ImportanceSamplingBenchmark.Run(gpu, Console.Out, parse.GetValue(model)!, parse.GetValue(iw), parse.GetValue(images), parse.GetValue(repeats), Ceilings());
            return 0;
        });
        return command;
    }
}
