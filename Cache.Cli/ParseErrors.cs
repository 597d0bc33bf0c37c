using System.CommandLine;
using System.CommandLine.Parsing;

namespace FunctionalCache.Cli;

/// <summary>The parse errors of one command line as the single message <c>fcache</c> prints.</summary>
/// <remarks>
/// System.CommandLine reports each missing argument apart, with the same words ("Required argument missing for
/// command: 'set'." twice for <c>fcache set</c>) and without naming it; here the missing arguments are named in one
/// sentence and every other distinct message follows once. Thread-safe (stateless).
/// </remarks>
internal static class ParseErrors
{
    /// <summary>One line saying everything that is wrong with the command line of <paramref name="parse"/>.</summary>
    public static string Describe(ParseResult parse)
    {
        var missing = new List<string>();
        var others = new List<string>();
        foreach (var error in parse.Errors)
        {
            if (error.SymbolResult is ArgumentResult argument && argument.Tokens.Count < argument.Argument.Arity.MinimumNumberOfValues)
            {
                if (!missing.Contains(argument.Argument.Name)) missing.Add(argument.Argument.Name);
            }
            else
            {
                // Some messages list choices on lines of their own ("Must be one of:\n\t'sqlite'\n\t'postgres'").
                var message = Printable.Sentences(error.Message);
                if (!others.Contains(message)) others.Add(message);
            }
        }
        var sentences = new List<string>();
        if (missing.Count > 0)
        {
            var names = missing.Count == 1 ? missing[0] : $"{string.Join(", ", missing.SkipLast(1))} and {missing[^1]}";
            var noun = missing.Count == 1 ? "argument" : "arguments";
            sentences.Add($"Required {noun} {names} missing for command '{parse.CommandResult.Command.Name}'.");
        }
        sentences.AddRange(others);
        return string.Join(" ", sentences);
    }
}
