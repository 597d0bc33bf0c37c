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
        var command = new Command("delete", "Remove KEY. Exit 0 when a live entry was removed, 1 when there was none, 3 when the backend fails.") { key };
        options.AddTo(command);
        command.SetAction((parse, ct) => Failures.Guard(parse, async () =>
        {
            await using var opened = options.Open(parse);
            var cache = opened.Cache;
            var name = parse.GetRequiredValue(key);
            var deleted = await cache.TryDeleteAsync(name, cancellationToken: ct).ConfigureAwait(false);
            return deleted.Match(
                Right: removed => removed ? ExitCodes.Ok : Failures.Report(parse, ExitCodes.Miss, $"Key '{name}' not found"),
                Left: error => Failures.Report(parse, error));
        }));
        return command;
    }
}
