using System.CommandLine;
using System.Globalization;
using FunctionalCache.Backends.Database;
using FunctionalCache.Backends.File;
using FunctionalCache.Backends.LocMem;
using FunctionalCache.Backends.Redis;

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
            "of a file cache (approximate), the entries of a locmem cache (always 0 here: it lives inside one process), and for " +
            "redis the server's version and memory, the keys in its database (DBSIZE) and the keys under the cache's prefix.");
        options.AddTo(command);
        command.SetAction((parse, ct) => Failures.Guard(parse, async () =>
        {
            await using var opened = options.Open(parse);
            var cache = opened.Cache;
            var policy = cache.Policy;
            // Every line is made before any is printed: a backend that fails on its count prints only the failure.
            var lines = new List<string>
            {
                $"backend: {BackendUri.Parse(opened.Uri).Scheme} ({cache.GetType().FullName})",
                $"uri: {BackendUri.Redact(opened.Uri)}",
                $"default timeout: {Describe(policy.DefaultTimeout)}",
                $"max entries: {Number(policy.MaxEntries)}",
                $"cull frequency: {Number(policy.CullFrequency)}",
                $"key prefix: \"{policy.KeyPrefix}\"",
                $"version: {Number(policy.Version)}",
            };
            switch (cache)
            {
                case LocMemCache locmem:
                    lines.Add($"entries: {Number(locmem.Count)}");
                    break;
                case FileBasedCache file:
                    lines.Add($"directory: {file.CacheDirectory}");
                    lines.Add($"entries (approximate): {Number(file.ApproximateCount)}");
                    break;
                case RedisCache redis:
                    var stats = await redis.StatsAsync(ct).ConfigureAwait(false);
                    lines.Add($"servers: {string.Join(", ", stats.Primaries)}{(stats.IsCluster ? " (Redis Cluster)" : "")}, database {Number(redis.Options.Database)}");
                    lines.Add($"redis version: {stats.ServerVersion}");
                    lines.Add($"used memory: {Number(stats.UsedMemoryBytes)} bytes");
                    lines.Add($"keys in the database (every application's): {Number(stats.DatabaseKeys)}");
                    lines.Add($"keys under the prefix (what clear removes): {Number(stats.PrefixKeys)}");
                    break;
                case DatabaseCache db:
                    lines.Add($"table: {db.Table} in the {db.Location.Description}");
                    lines.Add($"rows (live and expired): {Number(await db.CountAsync(ct).ConfigureAwait(false))}");
                    break;
            }
            foreach (var line in lines) Terminal.Output(parse).WriteLine(line);
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
