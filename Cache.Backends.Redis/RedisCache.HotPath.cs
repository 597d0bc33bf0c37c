using LanguageExt;
using StackExchange.Redis;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends.Redis;

// Get and set, the calls an application makes most, in one async step each from the key to Redis and back. The shared
// path (CacheBase: the operation, its lenient wrapper, the primitive) answers the same but awaits three nested async
// methods per call; on a network round trip each is a heap-allocated state machine and a continuation to run, which
// cost about 0.8 KB and a sixth more CPU per get than raw StackExchange.Redis under 16 concurrent callers
// (docs/benchmarks.md, Redis). A set sends its command before the async step begins, so that step's state is the
// client's task alone (docs/benchmarks.md, "Redis: the 16-caller set"). Failures are answered exactly as the shared
// path answers them.
public sealed partial class RedisCache
{
    /// <inheritdoc/>
    public override Task<OptionUnsafe<T>> GetAsync<T>(string key, int? version = null, CancellationToken cancellationToken = default) =>
        GetDirect<T>(Key(key, version));

    private async Task<OptionUnsafe<T>> GetDirect<T>(CacheKey key)
    {
        Option<object> payload;
        try
        {
            var database = _connection.ConnectedDatabase ?? await _connection.DatabaseAsync().ConfigureAwait(false);
            payload = RedisPayload.Read(await database.StringGetAsync(RedisKeyOf(key), _readFlags).ConfigureAwait(false));
        }
        catch (Exception e) when (RedisConnection.IsFault(e))
        {
            var failure = _connection.Failure(e);
            if (!FailuresAreMisses) throw failure;
            ReportFailure(failure);
            return None;
        }
        catch (CacheBackendException e) when (FailuresAreMisses && !e.IsRefusal)
        {
            ReportFailure(e);
            return None;
        }
        return payload.IsSome ? SomeUnsafe(Decode<T>(payload.IfNone(StoredNull.Instance))) : None;
    }

    /// <inheritdoc/>
    public override Task SetAsync<T>(string key, T value, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default)
    {
        var expiry = ExpiryOf(timeout);
        // A timeout that deletes (zero or negative) is rare: the shared path handles it.
        if (expiry.IsNone) return base.SetAsync(key, value, timeout, version, cancellationToken);
        var cacheKey = Key(key, version);
        var payload = Encode(value);
        var database = _connection.ConnectedDatabase;
        if (database is null) return SetDirect(cacheKey, payload, expiry.IfNone(Expiry.Never));
        // Connected (every call but the first few): the command is sent here and only its answer is awaited, so the
        // awaiting method holds the client's task alone, the smallest state a set keeps across its round trip.
        Task<bool> write;
        try
        {
            write = database.StringSetAsync(RedisKeyOf(cacheKey), RedisPayload.Store(payload), Ttl(expiry.IfNone(Expiry.Never)), When.Always, CommandFlags.None);
        }
        catch (Exception e) when (RedisConnection.IsFault(e))
        {
            var failure = _connection.Failure(e);
            if (!FailuresAreMisses) return Task.FromException(failure);
            ReportFailure(failure);
            return Task.CompletedTask;
        }
        return Written(write);
    }

    /// <summary>A set before the first connection is up: waits for it (or for its failure), then sends and awaits the <c>SET</c>.</summary>
    private async Task SetDirect(CacheKey key, object payload, Expiry expiry)
    {
        Task<bool> write;
        try
        {
            var database = await _connection.DatabaseAsync().ConfigureAwait(false);
            write = database.StringSetAsync(RedisKeyOf(key), RedisPayload.Store(payload), Ttl(expiry), When.Always, CommandFlags.None);
        }
        catch (Exception e) when (RedisConnection.IsFault(e))
        {
            AnswerWriteFailure(_connection.Failure(e));
            return;
        }
        catch (CacheBackendException e) when (FailuresAreMisses && !e.IsRefusal)
        {
            ReportFailure(e);
            return;
        }
        await Written(write).ConfigureAwait(false);
    }

    /// <summary>Awaits a sent <c>SET</c>; a fault is answered as the shared path answers a failed write.</summary>
    private async Task Written(Task<bool> write)
    {
        try
        {
            await write.ConfigureAwait(false);
        }
        catch (Exception e) when (RedisConnection.IsFault(e))
        {
            AnswerWriteFailure(_connection.Failure(e));
        }
    }

    /// <summary>A failed write: logged and counted as a miss, or thrown when failures are not misses.</summary>
    private void AnswerWriteFailure(CacheBackendException failure)
    {
        if (!FailuresAreMisses) throw failure;
        ReportFailure(failure);
    }
}
