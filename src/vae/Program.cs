using System.CommandLine;
using VulkanAE.Cli;

var root = new RootCommand("VulkanAE: train autoencoders and VAEs with Vulkan compute shaders on any Vulkan device.");
root.Subcommands.Add(DevicesCommand.Create());
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(TuneCommand.Create());
root.Subcommands.Add(CompareCommand.Create());
root.Subcommands.Add(ViewCommand.Create());
root.Subcommands.Add(ExportCommand.Create());
root.Subcommands.Add(ImportCommand.Create());
root.Subcommands.Add(EvaluateCommand.Create());
root.Subcommands.Add(DatasetCommand.Create());
foreach (var command in RunCommands.Create().Concat(AnalysisCommands.Create())) root.Subcommands.Add(command);
ConsoleOutput.Configure();
return CliErrors.Run(root, args);
