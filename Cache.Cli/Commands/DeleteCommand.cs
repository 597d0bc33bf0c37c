using System.CommandLine;

namespace FunctionalCache.Cli.Commands;

/// <summary><c>fcache delete KEY</c>: removes the key; exits 1 when there was no live entry.</summary>
internal static class DeleteCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var options = new BackendOptions();
        var key = new Argument<string>("KEY") { Description = "The key." };
        var command = new Command("delete", "Remove KEY. Exit 0 when a live entry was removed, 1 when there was none.") { key };
        options.AddTo(command);
        command.SetAction((parse, ct) => Failures.Guard(parse, async () =>
        {
            await using var opened = options.Open(parse);
            var cache = opened.Cache;
            var name = parse.GetRequiredValue(key);
            if (await cache.DeleteAsync(name, cancellationToken: ct).ConfigureAwait(false)) return ExitCodes.Ok;
            return Failures.Report(parse, ExitCodes.Miss, $"Key '{name}' not found");
        }));
        return command;
    }
}
