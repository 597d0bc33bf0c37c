using System.CommandLine;

namespace FunctionalCache.Cli.Commands;

/// <summary><c>fcache set KEY VALUE [--timeout SECONDS|never]</c>: stores VALUE as UTF-8 text.</summary>
internal static class SetCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var options = new BackendOptions();
        var key = new Argument<string>("KEY") { Description = "The key." };
        var value = new Argument<string>("VALUE") { Description = "The value, stored as raw UTF-8 text (what the library stores for a string)." };
        var timeout = new Option<CacheTimeout>("--timeout", "-t")
        {
            Description = "Seconds until the entry expires (fractions allowed; 0 or less removes the key), or 'never'. Default: the URI's timeout, else 300.",
            HelpName = "SECONDS|never",
            CustomParser = result =>
            {
                var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
                var parsed = TimeoutText.TryParse(text);
                if (parsed is null) result.AddError($"Option '--timeout' must be a number of seconds or 'never', not '{text}'.");
                return parsed ?? CacheTimeout.Default;
            },
        };
        var command = new Command("set", "Store VALUE under KEY. Exit 0 once stored, 3 when the backend could not store it.") { key, value, timeout };
        options.AddTo(command);
        command.SetAction((parse, ct) => Failures.Guard(parse, async () =>
        {
            await using var opened = options.Open(parse);
            var cache = opened.Cache;
            // The Try form: a write the backend could not do is reported, even where SetAsync drops it with a warning (memcached).
            var stored = await cache.TrySetAsync(parse.GetRequiredValue(key), parse.GetRequiredValue(value), parse.GetValue(timeout) ?? CacheTimeout.Default,
                cancellationToken: ct).ConfigureAwait(false);
            return stored.Match(Right: _ => ExitCodes.Ok, Left: error => Failures.Report(parse, error));
        }));
        return command;
    }
}
