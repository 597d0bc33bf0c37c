using LanguageExt;
using StackExchange.Redis;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends.Redis;

public sealed partial class RedisCache
{
    /// <summary>How often the compare-and-swap increment retries against concurrent writers.</summary>
    private const int CasAttempts = 64;

    /// <inheritdoc/>
    /// <remarks>
    /// <c>INCRBY</c> inside a script that first checks the key exists (<see cref="RedisScripts.IncrementExisting"/>):
    /// atomic, and the key keeps its TTL. What Redis will not count is read and decided by the same arithmetic as every
    /// other backend's.
    /// </remarks>
    protected override async ValueTask<Either<CacheError, long>> IncrementCore(CacheKey key, long delta, CancellationToken cancellationToken)
    {
        var redisKey = RedisKeyOf(key);
        var database = await _connection.DatabaseAsync().ConfigureAwait(false);
        try
        {
            for (var attempt = 0; attempt < CasAttempts; attempt++)
            {
                try
                {
                    var result = await database.ScriptEvaluateAsync(RedisScripts.IncrementExisting, [redisKey], [delta]).ConfigureAwait(false);
                    return result.IsNull
                        ? Left<CacheError, long>(new CacheError.KeyNotFound(key.Key))
                        : Right<CacheError, long>(long.Parse((string)result!, System.Globalization.CultureInfo.InvariantCulture));
                }
                catch (RedisServerException e) when (e.Message.Contains("overflow", StringComparison.Ordinal))
                {
                    return Left<CacheError, long>(new CacheError.Overflow(key.Key));
                }
                catch (RedisServerException e) when (e.Message.Contains("WRONGTYPE", StringComparison.Ordinal))
                {
                    // A list, a hash… stored under the key by someone else.
                    return Left<CacheError, long>(new CacheError.NotAnInteger(key.Key));
                }
                catch (RedisServerException e) when (e.Message.Contains("not an integer", StringComparison.Ordinal))
                {
                    var decided = await CompareAndSwap(database, redisKey, key, delta).ConfigureAwait(false);
                    if (decided.IsSome) return decided.IfNone(Left<CacheError, long>(new CacheError.KeyNotFound(key.Key)));
                }
            }
        }
        catch (Exception e) when (RedisConnection.IsFault(e))
        {
            throw _connection.Failure(e);
        }
        // Thrown like any backend failure, so the cache reports it (log, metrics) before answering it.
        throw new CacheBackendException($"Incrementing '{Policy.MakeKey(key)}' lost {CasAttempts} compare-and-swap races in a row.");
    }

    /// <summary>
    /// The answer for a value Redis refused to count: the shared arithmetic's error, or the new value written only if the
    /// key still holds what was read (its TTL kept). None when another writer changed it meanwhile: try again.
    /// </summary>
    private static async Task<Option<Either<CacheError, long>>> CompareAndSwap(IDatabase database, RedisKey redisKey, CacheKey key, long delta)
    {
        var stored = await database.StringGetAsync(redisKey).ConfigureAwait(false);
        if (stored.IsNull) return Some(Left<CacheError, long>(new CacheError.KeyNotFound(key.Key)));
        var sum = PayloadArithmetic.Add(key.Key, RedisPayload.Read(stored).IfNone(StoredNull.Instance), delta);
        if (sum.IsLeft) return Some(sum.Map(s => s.Value));
        var (payload, value) = sum.RightToSeq().Head;
        var swapped = await database.ScriptEvaluateAsync(RedisScripts.ReplaceIfUnchanged, [redisKey], [stored, RedisPayload.Store(payload)]).ConfigureAwait(false);
        return (long)swapped == 1 ? Some(Right<CacheError, long>(value)) : None;
    }
}
