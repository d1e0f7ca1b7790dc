using System.CommandLine;
using VulkanAE.Core;
using VulkanAE.IO;
using VulkanAE.Training;
using VulkanAE.Viewer;

namespace VulkanAE.Cli;

/// <summary>`vae view RUN`: explore a trained model's latent space in a window, or render the same frame to a PNG.</summary>
internal static class ViewCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "Run directory written by `vae train`" };
        var device = new Option<int?>("--device") { Description = "Vulkan device index from `vae devices`" };
        var snapshot = new Option<string?>("--snapshot") { Description = "Render the view offscreen to this PNG instead of opening a window" };
        var validation = VulkanValidationOption.Create();
        var command = new Command("view", "Explore a trained model: reconstructions, loss curves, the test codes' scatter and the decoded latent grid under the mouse (on the latent's two principal axes unless it is a 2-D VAE's).")
        {
            run, device, snapshot, validation, VulkanValidationOption.OldName(),
        };
        command.SetAction(parse =>
        {
            var directory = parse.GetValue(run)!;
            var options = new GpuOptions(parse.GetValue(device), parse.GetValue(validation));
            return parse.GetValue(snapshot) is { } path ? Snapshot(directory, options, path) : Explore(directory, options);
        });
        return command;
    }

    private static int Snapshot(string directory, GpuOptions options, string path)
    {
        using var trained = TrainedRun.Open(directory, options, CliErrors.Note);
        trained.RequireReconstruction("vae view");
        using var test = new DeviceDataset(trained.Gpu, trained.LoadTestSet());
        using var frame = new ViewerFrame(trained.Gpu, trained.Model, test, FramePixelFormat.Bgra);
        var (text, epochs) = RunText(frame, directory, trained);
        frame.Render(text, epochs, refreshModel: true);
        Png.Write(path, frame.Snapshot());
        Console.WriteLine($"wrote {path}");
        return 0;
    }

    private static int Explore(string directory, GpuOptions options)
    {
        using var window = ViewerWindow.TryOpen($"VulkanAE: {directory}", out var reason)
            ?? throw new ArgumentException($"{reason}: `vae view` needs a window; `--snapshot out.png` renders the view to a file instead");
        using var trained = TrainedRun.Open(directory, options with { Presentation = ViewerWindow.Presentation() }, CliErrors.Note);
        trained.RequireReconstruction("vae view");
        using var test = new DeviceDataset(trained.Gpu, trained.LoadTestSet());
        using var view = new LiveView(trained.Gpu, window, trained.Model, test, directory);
        var (text, epochs) = RunText(view.Frame, directory, trained);
        while (!view.StopRequested)
        {
            view.Update(() => text, epochs);
            LiveView.WaitForEvents(TimeSpan.FromSeconds(1.0 / 30));
        }
        return 0;
    }

    /// <summary>The run's loss curves (from metrics.csv) into the frame, and its status line.</summary>
    private static (IReadOnlyDictionary<ViewerLayout.Line, string> Text, double Epochs) RunText(ViewerFrame frame, string directory, TrainedRun trained)
    {
        var metrics = Path.Combine(directory, RunDirectory.MetricsFile);
        var history = File.Exists(metrics) ? EpochMetrics.ReadCsv(metrics) : [];
        frame.Curves.AddEpochs(history);
        string loss = history.Count > 0 ? $", test loss {history[^1].TestLoss:G5}" : "";
        var text = new Dictionary<ViewerLayout.Line, string>
        {
            [ViewerLayout.Line.Status] = $"{trained.Options.Model}: {TrainingRun.Plural(history.Count, "epoch")}{loss}",
        };
        return (text, Math.Max(1, history.Count));
    }
}
