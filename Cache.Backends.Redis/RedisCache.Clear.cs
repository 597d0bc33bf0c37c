using StackExchange.Redis;

namespace FunctionalCache.Backends.Redis;

public sealed partial class RedisCache
{
    /// <summary>The <c>SCAN</c> pattern of this cache's keys: the key prefix, glob characters escaped, then <c>:*</c>.</summary>
    internal string KeyPattern => GlobEscaped(Policy.KeyPrefix) + ":*";

    /// <inheritdoc/>
    /// <remarks>
    /// Without <see cref="RedisOptions.FlushDatabaseOnClear"/>: <c>SCAN</c> for <see cref="KeyPattern"/> on every primary,
    /// <c>UNLINK</c> in batches of <see cref="ClearBatchSize"/> (a key written while the scan runs may stay). With it:
    /// <c>FLUSHDB</c> on every primary, as Django does.
    /// </remarks>
    protected override async ValueTask ClearCore(CancellationToken cancellationToken)
    {
        var multiplexer = await _connection.MultiplexerAsync().ConfigureAwait(false);
        try
        {
            foreach (var server in Primaries(multiplexer))
            {
                if (Options.FlushDatabaseOnClear)
                {
                    await server.FlushDatabaseAsync(Options.Database).ConfigureAwait(false);
                    continue;
                }
                var batch = new List<RedisKey>(ClearBatchSize);
                await foreach (var key in server.KeysAsync(Options.Database, KeyPattern, ClearBatchSize).WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    batch.Add(key);
                    if (batch.Count < ClearBatchSize) continue;
                    await Unlink(multiplexer, [.. batch]).ConfigureAwait(false);
                    batch.Clear();
                }
                if (batch.Count > 0) await Unlink(multiplexer, [.. batch]).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (RedisConnection.IsFault(e))
        {
            throw _connection.Failure(e);
        }
    }

    /// <summary>How many keys begin with this cache's prefix (a <c>SCAN</c> of every primary): what <c>Clear</c> would remove.</summary>
    /// <exception cref="CacheBackendException">A server failed or is not connected.</exception>
    public async Task<long> CountKeysAsync(CancellationToken cancellationToken = default)
    {
        var multiplexer = await _connection.MultiplexerAsync().ConfigureAwait(false);
        try
        {
            long count = 0;
            foreach (var server in Primaries(multiplexer))
                await foreach (var _ in server.KeysAsync(Options.Database, KeyPattern, ClearBatchSize).WithCancellation(cancellationToken).ConfigureAwait(false)) count++;
            return count;
        }
        catch (Exception e) when (RedisConnection.IsFault(e))
        {
            throw _connection.Failure(e);
        }
    }

    /// <summary>What the servers report: version, memory, keys in the database (<c>INFO</c>, <c>DBSIZE</c>) and under this cache's prefix.</summary>
    /// <exception cref="CacheBackendException">A server failed or is not connected.</exception>
    public async Task<RedisStats> StatsAsync(CancellationToken cancellationToken = default)
    {
        var multiplexer = await _connection.MultiplexerAsync().ConfigureAwait(false);
        try
        {
            var primaries = Primaries(multiplexer);
            long databaseKeys = 0, memory = 0;
            foreach (var server in primaries)
            {
                databaseKeys += await server.DatabaseSizeAsync(Options.Database).ConfigureAwait(false);
                var info = await server.InfoAsync("memory").ConfigureAwait(false);
                var used = info.SelectMany(group => group).FirstOrDefault(pair => pair.Key == "used_memory").Value;
                if (long.TryParse(used, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var bytes)) memory += bytes;
            }
            var prefixKeys = await CountKeysAsync(cancellationToken).ConfigureAwait(false);
            return new RedisStats(
                primaries.Select(s => s.EndPoint.ToString() ?? "").ToArray(),
                primaries.Select(s => s.Version.ToString()).Distinct().FirstOrDefault() ?? "",
                IsCluster(multiplexer), databaseKeys, prefixKeys, memory);
        }
        catch (Exception e) when (RedisConnection.IsFault(e))
        {
            throw _connection.Failure(e);
        }
    }

    /// <summary>The connected primaries; fails when one is not connected (a clear or a count would be partial).</summary>
    private List<IServer> Primaries(ConnectionMultiplexer multiplexer)
    {
        var servers = multiplexer.GetServers();
        var primaries = servers.Where(s => s.IsConnected && !s.IsReplica).ToList();
        var unreachable = servers.Where(s => !s.IsConnected).Select(s => s.EndPoint.ToString()).ToList();
        // A replica that is down does not matter to a clear; a primary that is down, or no primary at all, does.
        if (primaries.Count == 0 || (IsCluster(multiplexer) && unreachable.Count > 0) || (!Options.ReadsFromReplicas && unreachable.Count > 0))
            throw _connection.Unavailable(unreachable.Count > 0 ? $"not connected to {string.Join(", ", unreachable)}" : "no primary is connected");
        return primaries;
    }

    // SCAN's MATCH is a glob: a prefix holding *, ?, [ or \ must match itself only.
    private static string GlobEscaped(string text)
    {
        var b = new System.Text.StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '*' or '?' or '[' or ']' or '\\') b.Append('\\');
            b.Append(c);
        }
        return b.ToString();
    }
}
