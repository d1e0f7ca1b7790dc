using System.CommandLine;
using VulkanAE.Export;
using VulkanAE.Training;

namespace VulkanAE.Cli;

/// <summary>`vae export`: a trained model in a format other tools read.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "Run directory written by `vae train`" };
        var onnx = new Option<string>("--onnx")
        {
            Description = $"Folder to write {OnnxExport.EncoderFile} and {OnnxExport.DecoderFile} into (ONNX opset {OnnxGraph.Opset}, NCHW, batch dimension free)",
            Required = true,
        };
        var device = new Option<int?>("--device") { Description = "Vulkan device index from `vae devices`" };
        var command = new Command("export", "Write a trained model's encoder (a VAE's returns mean and log-variance) and decoder as ONNX files with its weights; "
            + $"a conditional VAE's both take a one-hot '{OnnxExport.LabelName}' [N, classes] beside their input.")
        {
            run, onnx, device,
        };
        command.SetAction(parse =>
        {
            using var trained = TrainedRun.Open(parse.GetValue(run)!, parse.GetValue(device), CliErrors.Note);
            trained.RequireReconstruction("vae export");
            var written = OnnxExport.Write(trained.Model, parse.GetValue(onnx)!);
            Console.WriteLine($"wrote {string.Join(" and ", written)}");
            return 0;
        });
        return command;
    }
}
