using System.CommandLine;

namespace FunctionalCache.Cli.Commands;

/// <summary><c>fcache clear</c>: removes every entry in the backend's storage.</summary>
internal static class ClearCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var options = new BackendOptions();
        var command = new Command("clear", "Remove every entry in the backend's storage (all prefixes and versions, as Django does).");
        options.AddTo(command);
        command.SetAction((parse, ct) => Failures.Guard(parse, async () =>
        {
            await using var opened = options.Open(parse);
            var cache = opened.Cache;
            var cleared = await cache.TryClearAsync(ct).ConfigureAwait(false);
            return cleared.Match(Right: _ => ExitCodes.Ok, Left: error => Failures.Report(parse, error));
        }));
        return command;
    }
}
