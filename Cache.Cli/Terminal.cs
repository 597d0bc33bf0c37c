using System.CommandLine;

namespace FunctionalCache.Cli;

/// <summary>
/// Where a command writes: the output and error writers of the invocation it runs in (the process's standard
/// streams when run as a tool, captured writers when a test runs <see cref="Fcache.RunAsync(IReadOnlyList{string}, TextWriter, TextWriter)"/>).
/// </summary>
internal static class Terminal
{
    /// <summary>The invocation's standard output.</summary>
    public static TextWriter Output(ParseResult parse) => parse.InvocationConfiguration.Output;

    /// <summary>The invocation's standard error.</summary>
    public static TextWriter Error(ParseResult parse) => parse.InvocationConfiguration.Error;
}
