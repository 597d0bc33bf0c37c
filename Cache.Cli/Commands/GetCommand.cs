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
        var command = new Command("get", "Print the value stored under KEY as text. Exit 0 on a hit, 1 on a miss, 3 when the backend fails, 4 when the value is not UTF-8 text.") { key };
        options.AddTo(command);
        command.SetAction((parse, ct) => Failures.Guard(parse, async () =>
        {
            await using var opened = options.Open(parse);
            var cache = opened.Cache;
            var name = parse.GetRequiredValue(key);
            // The Try form: a backend that answers a failure as a miss (memcached) must not make get say "miss".
            var found = await cache.TryGetAsync<byte[]>(name, cancellationToken: ct).ConfigureAwait(false);
            return found.Match(Left: error => Failures.Report(parse, error), Right: value => value.MatchUnsafe(
                Some: bytes =>
                {
                    // A stored null (from a program) prints as an empty line, as it did when read as a string.
                    var text = bytes is null ? "" : StoredText.TryDecode(bytes);
                    if (text is null) return Failures.Report(parse, ExitCodes.NotText, StoredText.NotTextMessage(name, bytes!.Length));
                    Terminal.Output(parse).WriteLine(text);
                    return ExitCodes.Ok;
                },
                None: () =>
                {
                    Terminal.Error(parse).WriteLine("miss");
                    return ExitCodes.Miss;
                }));
        }));
        return command;
    }
}
