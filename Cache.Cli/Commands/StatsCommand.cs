using System.CommandLine;
using System.Globalization;
using FunctionalCache.Backends.Database;
using FunctionalCache.Backends.File;
using FunctionalCache.Backends.LocMem;

namespace FunctionalCache.Cli.Commands;

/// <summary><c>fcache stats</c>: what can be known about a backend through its public surface.</summary>
internal static class StatsCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var options = new BackendOptions();
        var command = new Command("stats",
            "Print one 'name: value' line each for the backend type, its URI and its policy (default timeout, max entries, " +
            "cull frequency, key prefix, version), then what the backend can count: the rows of a db table, the entry files " +
            "of a file cache (approximate), the entries of a locmem cache (always 0 here: it lives inside one process).");
        options.AddTo(command);
        command.SetAction((parse, ct) => Failures.Guard(async () =>
        {
            await using var opened = options.Open(parse);
            var cache = opened.Cache;
            var policy = cache.Policy;
            var o = Console.Out;
            o.WriteLine($"backend: {BackendUri.Parse(opened.Uri).Scheme} ({cache.GetType().FullName})");
            o.WriteLine($"uri: {opened.Uri}");
            o.WriteLine($"default timeout: {Describe(policy.DefaultTimeout)}");
            o.WriteLine($"max entries: {Number(policy.MaxEntries)}");
            o.WriteLine($"cull frequency: {Number(policy.CullFrequency)}");
            o.WriteLine($"key prefix: \"{policy.KeyPrefix}\"");
            o.WriteLine($"version: {Number(policy.Version)}");
            switch (cache)
            {
                case LocMemCache locmem:
                    o.WriteLine($"entries: {Number(locmem.Count)}");
                    break;
                case FileBasedCache file:
                    o.WriteLine($"directory: {file.CacheDirectory}");
                    o.WriteLine($"entries (approximate): {Number(file.ApproximateCount)}");
                    break;
                case DatabaseCache db:
                    o.WriteLine($"table: {db.Table} in the {db.Location.Description}");
                    o.WriteLine($"rows (live and expired): {Number(await db.CountAsync(ct).ConfigureAwait(false))}");
                    break;
            }
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static string Number(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Describe(CacheTimeout timeout) => timeout.Match(
        onDefault: () => "default",
        onNever: () => "never",
        onAfter: span => $"{span.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
}
