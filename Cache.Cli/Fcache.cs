using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using FunctionalCache.Cli.Commands;

namespace FunctionalCache.Cli;

/// <summary>The <c>fcache</c> command line: the root command, its subcommands, and parse errors as exit code 2.</summary>
internal static class Fcache
{
    /// <summary>The root command with every subcommand.</summary>
    public static Command Create() => new("fcache", "Manage FunctionalCache caches from the shell. Exit codes: 0 ok, " +
        "1 miss or not found, 2 usage or configuration error, 3 backend failure, 4 the stored value is not text " +
        "(get: bytes that are not UTF-8). Every command but createcachetable " +
        "takes --backend URI (default: $CACHE_BACKEND); locmem:/// lives inside one process, so the CLI serves file, db, " +
        "memcached and redis caches.")
    {
        new HelpOption(),
        new VersionOption(),
        CreateCacheTableCommand.Create(),
        GetCommand.Create(),
        SetCommand.Create(),
        DeleteCommand.Create(),
        IncrCommand.Create(),
        ClearCommand.Create(),
        StatsCommand.Create(),
    };

    /// <summary>Parses <paramref name="args"/> and runs the command on the process's standard output and error; returns the exit code.</summary>
    public static Task<int> RunAsync(string[] args) => RunAsync(args, Console.Out, Console.Error);

    /// <summary>
    /// Parses <paramref name="args"/> and runs the command, writing to <paramref name="output"/> and
    /// <paramref name="error"/>; returns the exit code. Nothing else of the process is touched (but the
    /// <c>CACHE_BACKEND</c> variable, which is read), so tests run it in-process.
    /// </summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        // No response files: "@name" is a key like any other, not a file of arguments to read.
        var parse = Create().Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        // System.CommandLine exits 1 on a parse error; 1 means "miss" here, so usage errors are reported as 2.
        if (parse.Action is ParseErrorAction)
        {
            error.WriteLine($"fcache: {Printable.Line(ParseErrors.Describe(parse))}");
            var command = parse.CommandResult.Command;
            var name = command.Parents.Any() ? $"fcache {command.Name}" : "fcache";
            var synopsis = string.Concat(command.Arguments.Select(a => $" <{a.Name}>"));
            var tail = command.Subcommands.Count > 0 ? " [command]" : "";
            error.WriteLine($"Usage: {name}{synopsis}{tail} [options]");
            error.WriteLine($"Run '{name} --help' for more.");
            return ExitCodes.Usage;
        }
        var invocation = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        return await parse.InvokeAsync(invocation).ConfigureAwait(false);
    }
}
