using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace VulkanAE.Cli;

/// <summary>
/// Gives every numeric option a parser whose error says what was expected in words
/// ("--lr expects a number, got 'abc'"), where System.CommandLine would name a .NET type.
/// </summary>
internal static class NumberOptions
{
    /// <summary>Sets the parser of each int, float and double option (nullable or not) of <paramref name="command"/> and its subcommands.</summary>
    public static void Describe(Command command)
    {
        foreach (var option in command.Options)
        {
            switch (option)
            {
                case Option<int> o: o.CustomParser = r => Parse<int>(r, o, WholeNumber) ?? 0; break;
                case Option<int?> o: o.CustomParser = r => Parse<int>(r, o, WholeNumber); break;
                case Option<float> o: o.CustomParser = r => Parse<float>(r, o, RealNumber) ?? 0; break;
                case Option<float?> o: o.CustomParser = r => Parse<float>(r, o, RealNumber); break;
                case Option<double> o: o.CustomParser = r => Parse<double>(r, o, RealNumber) ?? 0; break;
                case Option<double?> o: o.CustomParser = r => Parse<double>(r, o, RealNumber); break;
            }
        }
        foreach (var subcommand in command.Subcommands) Describe(subcommand);
    }

    private static readonly (NumberStyles Styles, string Words) WholeNumber = (NumberStyles.Integer, "a whole number");
    private static readonly (NumberStyles Styles, string Words) RealNumber = (NumberStyles.Float, "a number");

    private static T? Parse<T>(ArgumentResult result, Option option, (NumberStyles Styles, string Words) kind) where T : struct, INumber<T>
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (T.TryParse(text, kind.Styles, CultureInfo.InvariantCulture, out var value)) return value;
        result.AddError($"{option.Name} expects {kind.Words}, got '{text}'");
        return null;
    }
}
