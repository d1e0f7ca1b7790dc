using System.CommandLine;
using Spectre.Console;
using VulkanAE.Models;
using VulkanAE.Training;
using VulkanAE.Tuning;

namespace VulkanAE.Cli;

/// <summary>`vae tune`: times every kernel candidate of a model's training step on this device and caches the fastest.</summary>
internal static class TuneCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model whose training step is tuned", DefaultValueFactory = _ => "fc-ae" };
        model.AcceptOnlyFromAmong(ModelCatalog.Names.ToArray());
        var dataset = new Option<string>("--dataset") { Description = "Dataset, as for `vae train` (its test-set size decides the last evaluation batch)", DefaultValueFactory = _ => "mnist" };
        var batch = new Option<int?>("--batch") { Description = "Images per step (default: the model's)" };
        var budget = new Option<double?>("--budget") { Description = "Stop starting new ops after this many seconds (default: no limit); the rest keep their defaults" };
        var device = new Option<int?>("--device") { Description = "Vulkan device index from `vae devices`" };
        var command = new Command("tune", $"Time the kernel variants and launch shapes of a model's training step on this device and cache the fastest for `vae train` (folder: ${KernelChoiceCache.EnvironmentVariable}, else the user's cache folder).")
        {
            model, dataset, batch, budget, device,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(budget) is <= 0) throw new ArgumentException($"--budget must be positive, got {parse.GetValue(budget)}");
            var options = new TrainingOptions(Model: parse.GetValue(model)!, Dataset: parse.GetValue(dataset)!, BatchSize: parse.GetValue(batch), Device: parse.GetValue(device));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var result = ModelTuning.Run(options, parse.GetValue(budget) is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
                warning => ConsoleOutput.Line($"[yellow]warning:[/] {Markup.Escape(warning)}"));
            var outcome = result.Outcome;
            AnsiConsole.Write(Table(outcome));
            string step = outcome.Step switch
            {
                null => "no op changed, so the training step was not timed",
                { ChallengerWins: true } s => $"the training step with the changed choices took {s} of its time with the defaults: they are kept",
                var s => $"the training step with the changed choices took {s} of its time with the defaults: not faster, so every op keeps its default",
            };
            ConsoleOutput.Line(Markup.Escape(step));
            ConsoleOutput.Line($"{options.Model} on {Markup.Escape(result.Device)}: {outcome.Ops.Count} of {result.Ops} ops tuned in {clock.Elapsed.TotalSeconds:F1} s, "
                + $"{outcome.Ops.Count(o => !o.KeepsDefault)} differ from the defaults; median ms ({Markup.Escape(Clock)}); cached in {Markup.Escape(result.CacheFile)}");
            return 0;
        });
        return command;
    }

    private const string Clock = "process CPU time on a CPU driver, GPU timestamps on a GPU";

    /// <summary>
    /// One row per screened candidate, the op and shape on the first (the default's), the chosen one's
    /// ms in bold; then a row with the op's decision.
    /// </summary>
    private static Table Table(TuningOutcome outcome)
    {
        var table = new Table().AddColumns("op", "shape", "candidate", "ms", "");
        foreach (var op in outcome.Ops)
        {
            for (int i = 0; i < op.Candidates.Count; i++)
            {
                var c = op.Candidates[i];
                string ms = c.Milliseconds.ToString("F3");
                table.AddRow(i == 0 ? Markup.Escape(op.Op) : "", i == 0 ? Markup.Escape(op.Shape) : "", Markup.Escape(c.Candidate),
                    c.Chosen ? $"[bold]{ms}[/]" : ms, (i == 0 ? "default" : "") + (c.Chosen ? (i == 0 ? ", chosen" : "chosen") : ""));
            }
            table.AddRow("", "", $"[italic]{Markup.Escape(op.Decision)}[/]", "", "");
        }
        return table;
    }
}
