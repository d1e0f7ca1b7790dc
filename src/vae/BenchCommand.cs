using System.CommandLine;
using VulkanAE.Benchmarks;
using VulkanAE.Core;
using VulkanAE.Models;

namespace VulkanAE.Cli;

/// <summary>`vae bench`: GFLOP/s of every matmul variant on the model's shapes, a per-kernel profile of a step, and seconds per epoch.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model whose training step and epoch are timed", DefaultValueFactory = _ => "fc-ae" };
        model.AcceptOnlyFromAmong(ModelCatalog.Names.ToArray());
        var device = new Option<int?>("--device") { Description = "Vulkan device index from `vae devices`" };
        var repeats = new Option<int>("--repeats") { Description = "Timed runs per matmul (the median is reported)", DefaultValueFactory = _ => 20 };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs to time (0 skips)", DefaultValueFactory = _ => 1 };
        var skipMatmul = new Option<bool>("--no-matmul") { Description = "Skip the matmul variant table" };
        var command = new Command("bench", "Benchmark the kernels and a training epoch on a Vulkan device; prints GFLOP/s and seconds per epoch.")
        {
            model, device, repeats, epochs, skipMatmul,
        };
        command.SetAction(parse =>
        {
            using var gpu = new Gpu(new GpuOptions(parse.GetValue(device)));
            if (!parse.GetValue(skipMatmul))
            {
                MatmulBenchmark.Run(gpu, Console.Out, parse.GetValue(repeats));
                Console.WriteLine();
            }
            TrainingBenchmark.Run(gpu, Console.Out, parse.GetValue(model)!, parse.GetValue(epochs));
            return 0;
        });
        return command;
    }
}
