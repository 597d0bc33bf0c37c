using System.CommandLine;

namespace FunctionalCache.Cli.Commands;

/// <summary><c>fcache get KEY</c>: prints the value, or exits 1 with <c>miss</c> on standard error.</summary>
internal static class GetCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var options = new BackendOptions();
        var key = new Argument<string>("KEY") { Description = "The key (the backend applies its prefix and version)." };
        var command = new Command("get", "Print the value stored under KEY as text. Exit 0 on a hit, 1 on a miss.") { key };
        options.AddTo(command);
        command.SetAction((parse, ct) => Failures.Guard(async () =>
        {
            await using var opened = options.Open(parse);
            var cache = opened.Cache;
            var value = await cache.GetAsync<string>(parse.GetRequiredValue(key), cancellationToken: ct).ConfigureAwait(false);
            return value.MatchUnsafe(
                Some: text =>
                {
                    Console.Out.WriteLine(text);
                    return ExitCodes.Ok;
                },
                None: () =>
                {
                    Console.Error.WriteLine("miss");
                    return ExitCodes.Miss;
                });
        }));
        return command;
    }
}
