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
        "takes --backend URI (default: $CACHE_BACKEND); locmem:/// lives inside one process, so the CLI serves file, db " +
        "and memcached caches.")
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

    /// <summary>Parses <paramref name="args"/> and runs the command; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var parse = Create().Parse(args);
        // System.CommandLine exits 1 on a parse error; 1 means "miss" here, so usage errors are reported as 2.
        if (parse.Action is ParseErrorAction)
        {
            Console.Error.WriteLine($"fcache: {Printable.Line(ParseErrors.Describe(parse))}");
            var command = parse.CommandResult.Command;
            var name = command.Parents.Any() ? $"fcache {command.Name}" : "fcache";
            var synopsis = string.Concat(command.Arguments.Select(a => $" <{a.Name}>"));
            var tail = command.Subcommands.Count > 0 ? " [command]" : "";
            Console.Error.WriteLine($"Usage: {name}{synopsis}{tail} [options]");
            Console.Error.WriteLine($"Run '{name} --help' for more.");
            return ExitCodes.Usage;
        }
        return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }).ConfigureAwait(false);
    }
}
