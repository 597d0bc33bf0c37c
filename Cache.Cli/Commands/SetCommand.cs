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
        var command = new Command("set", "Store VALUE under KEY.") { key, value, timeout };
        options.AddTo(command);
        command.SetAction((parse, ct) => Failures.Guard(parse, async () =>
        {
            await using var opened = options.Open(parse);
            var cache = opened.Cache;
            await cache.SetAsync(parse.GetRequiredValue(key), parse.GetRequiredValue(value), parse.GetValue(timeout) ?? CacheTimeout.Default,
                cancellationToken: ct).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
