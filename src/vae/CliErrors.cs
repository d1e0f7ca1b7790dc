using System.CommandLine;
using System.CommandLine.Invocation;
using VulkanAE.Core;
using VulkanAE.Training;

namespace VulkanAE.Cli;

/// <summary>
/// Exit codes, and the errors a user can cause turned into one clear line on stderr; anything else
/// is a bug and keeps its stack trace (exit 1).
/// </summary>
internal static class CliErrors
{
    public const int Done = 0;
    public const int RuntimeFailure = 1;
    public const int UserError = 2;
    public const int EnvironmentError = 3;

    /// <summary>A line worth knowing that is no error (which weights a command uses), on stderr so it stays out of piped output.</summary>
    public static void Note(string message) => Console.Error.WriteLine($"note: {message}");

    /// <summary>Stopped by Ctrl+C (128 + SIGINT, as shells report it); a training run saved its checkpoint first.</summary>
    public const int Interrupted = 130;

    /// <summary>
    /// Parses and runs <paramref name="args"/>. A command line that does not parse gets its errors, the
    /// "did you mean" hints and one usage line on stderr (the full help stays behind --help), and exit 2.
    /// </summary>
    public static int Run(RootCommand root, string[] args)
    {
        NumberOptions.Describe(root);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is ParseErrorAction errors)
        {
            foreach (var error in parse.Errors) Console.Error.WriteLine($"error: {error.Message}");
            // System.CommandLine's own action adds the "did you mean" hints; the errors are written above, the help left out.
            errors.ShowHelp = false;
            parse.InvocationConfiguration.Output = Console.Error;
            parse.InvocationConfiguration.Error = TextWriter.Null;
            errors.Invoke(parse);
            Console.Error.WriteLine($"Usage: {Usage(parse.CommandResult.Command)} (see {Usage(parse.CommandResult.Command, options: false)} --help)");
            return UserError;
        }
        return Run(() => parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false }));
    }

    /// <summary>"vae train [options]": the command's path from the root.</summary>
    private static string Usage(Command command, bool options = true)
    {
        var names = new List<string>();
        for (Symbol? symbol = command; symbol is Command c; symbol = c.Parents.FirstOrDefault()) names.Insert(0, c is RootCommand ? "vae" : c.Name);
        return string.Join(' ', names) + (options && command.Options.Count > 0 ? " [options]" : "");
    }

    public static int Run(Func<int> command)
    {
        try
        {
            return command();
        }
        catch (Exception e) when (e is UserInputException or ArgumentException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return UserError;
        }
        catch (Exception e) when (e is VulkanUnavailableException or OutOfDeviceMemoryException or ValidationFailedException or TrainingDivergedException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return EnvironmentError;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"error (a bug: please report it with what follows): {e}");
            return RuntimeFailure;
        }
    }
}
