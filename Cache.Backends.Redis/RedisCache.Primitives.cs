using LanguageExt;
using StackExchange.Redis;

namespace FunctionalCache.Backends.Redis;

public sealed partial class RedisCache
{
    /// <inheritdoc/>
    protected override async ValueTask<Option<object>> ReadCore(CacheKey key, CancellationToken cancellationToken)
    {
        // Written out rather than through Run: the hot path allocates no closure.
        var database = await _connection.DatabaseAsync().ConfigureAwait(false);
        try
        {
            return RedisPayload.Read(await database.StringGetAsync(RedisKeyOf(key), _readFlags).ConfigureAwait(false));
        }
        catch (Exception e) when (RedisConnection.IsFault(e))
        {
            throw _connection.Failure(e);
        }
    }

    /// <inheritdoc/>
    protected override async ValueTask WriteCore(CacheKey key, object payload, Expiry expiry, CancellationToken cancellationToken)
    {
        var database = await _connection.DatabaseAsync().ConfigureAwait(false);
        try
        {
            await database.StringSetAsync(RedisKeyOf(key), RedisPayload.Store(payload), Ttl(expiry), When.Always, CommandFlags.None).ConfigureAwait(false);
        }
        catch (Exception e) when (RedisConnection.IsFault(e))
        {
            throw _connection.Failure(e);
        }
    }

    /// <inheritdoc/>
    protected override ValueTask<bool> AddCore(CacheKey key, object payload, Expiry expiry, CancellationToken cancellationToken)
    {
        var redisKey = RedisKeyOf(key);
        var value = RedisPayload.Store(payload);
        var ttl = Ttl(expiry);
        return Run(database => database.StringSetAsync(redisKey, value, ttl, When.NotExists, CommandFlags.None));
    }

    /// <inheritdoc/>
    protected override ValueTask<bool> TouchCore(CacheKey key, Expiry expiry, CancellationToken cancellationToken)
    {
        var redisKey = RedisKeyOf(key);
        var ttl = Ttl(expiry);
        return ttl is { } span
            ? Run(database => database.KeyExpireAsync(redisKey, span))
            : Run(async database => (long)await database.ScriptEvaluateAsync(RedisScripts.PersistExisting, [redisKey]).ConfigureAwait(false) == 1);
    }

    /// <inheritdoc/>
    protected override ValueTask<bool> RemoveCore(CacheKey key, CancellationToken cancellationToken)
    {
        var redisKey = RedisKeyOf(key);
        return Run(database => database.KeyDeleteAsync(redisKey));
    }

    /// <inheritdoc/>
    protected override ValueTask<bool> ContainsCore(CacheKey key, CancellationToken cancellationToken)
    {
        var redisKey = RedisKeyOf(key);
        return Run(database => database.KeyExistsAsync(redisKey, _readFlags));
    }

    /// <inheritdoc/>
    protected override async ValueTask<Option<object>[]> ReadManyCore(IReadOnlyList<CacheKey> keys, CancellationToken cancellationToken)
    {
        var found = new Option<object>[keys.Count];
        if (keys.Count == 0) return found;
        var redisKeys = new RedisKey[keys.Count];
        for (var i = 0; i < keys.Count; i++) redisKeys[i] = RedisKeyOf(keys[i]);
        var multiplexer = await _connection.MultiplexerAsync().ConfigureAwait(false);
        var database = multiplexer.GetDatabase(Options.Database);
        try
        {
            if (!IsCluster(multiplexer))
            {
                var values = await database.StringGetAsync(redisKeys, _readFlags).ConfigureAwait(false);
                for (var i = 0; i < values.Length; i++) found[i] = RedisPayload.Read(values[i]);
                return found;
            }
            // A cluster refuses an MGET whose keys live in different hash slots: one MGET per slot, all in flight at once.
            var groups = BySlot(multiplexer, redisKeys);
            var reads = groups.Select(g => database.StringGetAsync(g.Select(i => redisKeys[i]).ToArray(), _readFlags)).ToArray();
            var answers = await Task.WhenAll(reads).ConfigureAwait(false);
            for (var g = 0; g < groups.Count; g++)
                for (var j = 0; j < groups[g].Count; j++) found[groups[g][j]] = RedisPayload.Read(answers[g][j]);
            return found;
        }
        catch (Exception e) when (RedisConnection.IsFault(e))
        {
            throw _connection.Failure(e);
        }
    }

    /// <inheritdoc/>
    protected override async ValueTask<Seq<CacheKey>> WriteManyCore(IReadOnlyList<(CacheKey Key, object Payload)> items, Expiry expiry, CancellationToken cancellationToken)
    {
        if (items.Count == 0) return Seq<CacheKey>.Empty;
        var database = await _connection.DatabaseAsync().ConfigureAwait(false);
        var ttl = Ttl(expiry);
        // Every SET is written before the first answer is awaited: one pipelined round trip (per node on a cluster).
        var writes = new Task<bool>[items.Count];
        for (var i = 0; i < items.Count; i++)
            writes[i] = database.StringSetAsync(RedisKeyOf(items[i].Key), RedisPayload.Store(items[i].Payload), ttl, When.Always, CommandFlags.None);
        try
        {
            await Task.WhenAll(writes).ConfigureAwait(false);
        }
        catch (Exception e) when (RedisConnection.IsFault(e))
        {
            throw _connection.Failure(e);
        }
        return Seq<CacheKey>.Empty;
    }

    /// <inheritdoc/>
    protected override async ValueTask RemoveManyCore(IReadOnlyList<CacheKey> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0) return;
        var redisKeys = new RedisKey[keys.Count];
        for (var i = 0; i < keys.Count; i++) redisKeys[i] = RedisKeyOf(keys[i]);
        var multiplexer = await _connection.MultiplexerAsync().ConfigureAwait(false);
        try
        {
            await Unlink(multiplexer, redisKeys).ConfigureAwait(false);
        }
        catch (Exception e) when (RedisConnection.IsFault(e))
        {
            throw _connection.Failure(e);
        }
    }

    /// <summary><c>UNLINK</c> of <paramref name="keys"/>: one command, or one per hash slot on a cluster.</summary>
    private async Task Unlink(ConnectionMultiplexer multiplexer, RedisKey[] keys)
    {
        var database = multiplexer.GetDatabase(Options.Database);
        if (!IsCluster(multiplexer))
        {
            await database.ExecuteAsync("UNLINK", keys.Cast<object>().ToArray()).ConfigureAwait(false);
            return;
        }
        var groups = BySlot(multiplexer, keys);
        await Task.WhenAll(groups.Select(g => database.ExecuteAsync("UNLINK", g.Select(i => (object)keys[i]).ToArray()))).ConfigureAwait(false);
    }

    /// <summary>The indexes of <paramref name="keys"/> grouped by hash slot, in order of first appearance.</summary>
    private static List<List<int>> BySlot(ConnectionMultiplexer multiplexer, RedisKey[] keys)
    {
        var groups = new Dictionary<int, List<int>>();
        var order = new List<List<int>>();
        for (var i = 0; i < keys.Length; i++)
        {
            var slot = multiplexer.HashSlot(keys[i]);
            if (!groups.TryGetValue(slot, out var group))
            {
                group = [];
                groups.Add(slot, group);
                order.Add(group);
            }
            group.Add(i);
        }
        return order;
    }
}
