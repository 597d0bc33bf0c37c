using System.CommandLine;

namespace FunctionalCache.Cli.Commands;

/// <summary><c>fcache incr KEY [--by N]</c>: atomically adds N to a stored integer and prints the new value.</summary>
internal static class IncrCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var options = new BackendOptions();
        var key = new Argument<string>("KEY") { Description = "The key of a stored integer." };
        var by = new Option<long>("--by")
        {
            Description = "The amount to add (negative subtracts).",
            HelpName = "N",
            DefaultValueFactory = _ => 1,
        };
        var command = new Command("incr",
            "Atomically add N to the integer stored under KEY, keeping its expiry, and print the new value. " +
            "Exit 1 with the reason when the key is missing or does not hold an integer (or would overflow), " +
            "3 when the backend fails.") { key, by };
        options.AddTo(command);
        command.SetAction((parse, ct) => Failures.Guard(parse, async () =>
        {
            await using var opened = options.Open(parse);
            var cache = opened.Cache;
            var result = await cache.IncrementAsync(parse.GetRequiredValue(key), parse.GetValue(by), cancellationToken: ct).ConfigureAwait(false);
            return result.Match(
                Right: value =>
                {
                    Terminal.Output(parse).WriteLine(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    return ExitCodes.Ok;
                },
                Left: error => Failures.Report(parse, error));
        }));
        return command;
    }
}
