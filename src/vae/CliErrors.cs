using VulkanAE.Core;
using VulkanAE.Training;

namespace VulkanAE.Cli;

/// <summary>
/// Turns the errors a user can cause into one clear line on stderr and a non-zero exit code;
/// anything else is a bug and keeps its stack trace.
/// </summary>
internal static class CliErrors
{
    public const int UserError = 2;
    public const int EnvironmentError = 3;

    /// <summary>A line worth knowing that is no error (which weights a command uses), on stderr so it stays out of piped output.</summary>
    public static void Note(string message) => Console.Error.WriteLine($"note: {message}");

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
    }
}
