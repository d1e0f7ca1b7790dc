using Spectre.Console;

namespace VulkanAE.Cli;

/// <summary>
/// How `vae` writes to stdout. On a terminal: Spectre.Console's live progress and styles. Piped or
/// redirected: no ANSI codes, no wrapping at 80 columns, and the training progress becomes one plain
/// line per epoch. NO_COLOR (https://no-color.org) takes colours and styles (bold too) off everywhere.
/// </summary>
internal static class ConsoleOutput
{
    /// <summary>Whether stdout is a terminal that redraws a live progress display.</summary>
    public static bool Live { get; private set; }

    private static bool _plainStyles;

    public static void Configure()
    {
        bool terminal = !Console.IsOutputRedirected;
        _plainStyles = !terminal || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = _plainStyles ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal) AnsiConsole.Profile.Width = 100_000; // a log line is one line
        Live = terminal && AnsiConsole.Profile.Capabilities.Interactive && AnsiConsole.Profile.Capabilities.Ansi;
    }

    /// <summary>A line of Spectre markup, its styles dropped under NO_COLOR or off a terminal.</summary>
    public static void Line(string markup)
    {
        if (_plainStyles) AnsiConsole.Profile.Out.Writer.WriteLine(Markup.Remove(markup));
        else AnsiConsole.MarkupLine(markup);
    }
}
