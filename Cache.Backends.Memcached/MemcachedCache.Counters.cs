using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends.Memcached;

public sealed partial class MemcachedCache
{
    /// <summary>How often the compare-and-swap increment retries against concurrent writers.</summary>
    private const int CasAttempts = 64;

    /// <inheritdoc/>
    /// <remarks>memcached's <c>ma</c>: a decrement stops at 0; see the class remarks.</remarks>
    protected override async ValueTask<Either<CacheError, long>> IncrementCore(CacheKey key, long delta, CancellationToken cancellationToken)
    {
        var wireKey = WireKey(key);
        var decrement = delta < 0;
        var magnitude = decrement ? (ulong)(-(delta + 1)) + 1 : (ulong)delta;
        var counter = await Client.ArithmeticCoreAsync(wireKey, magnitude, decrement, cancellationToken).ConfigureAwait(false);
        switch (counter.Status)
        {
            case MemcachedCounterStatus.Done when counter.Value > long.MaxValue:
                // Undo by the opposite delta: concurrent increments in between are kept.
                await Client.ArithmeticCoreAsync(wireKey, magnitude, !decrement, cancellationToken).ConfigureAwait(false);
                return Left<CacheError, long>(new CacheError.Overflow(key.Key));
            case MemcachedCounterStatus.Done:
                return Right<CacheError, long>((long)counter.Value);
            case MemcachedCounterStatus.NotFound:
                return Left<CacheError, long>(new CacheError.KeyNotFound(key.Key));
            case MemcachedCounterStatus.NonNumeric:
                return await CompareAndSwapIncrement(key, wireKey, delta, cancellationToken).ConfigureAwait(false);
            default:
                return Left<CacheError, long>(Unavailable(key));
        }
    }

    /// <summary>
    /// The increment memcached cannot do itself (a negative integer, or not a number at all): read with the
    /// CAS token, compute, store only if nobody changed the item meanwhile, keeping its remaining TTL.
    /// </summary>
    private async ValueTask<Either<CacheError, long>> CompareAndSwapIncrement(CacheKey key, byte[] wireKey, long delta, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < CasAttempts; attempt++)
        {
            var read = await Client.GetCoreAsync(wireKey, true, cancellationToken).ConfigureAwait(false);
            if (read.IsNone) return Left<CacheError, long>(new CacheError.KeyNotFound(key.Key));
            var item = read.IfNone(default(MemcachedItem));
            if ((item.Flags & NullFlag) != 0) return Left<CacheError, long>(new CacheError.NotAnInteger(key.Key));
            var current = (item.Flags & CounterFlag) != 0 ? WithoutCounterPadding(item.Value) : item.Value;
            var sum = PayloadArithmetic.Add(key.Key, current, delta);
            if (sum.IsLeft) return sum.Map(s => s.Value);
            var (payload, value) = sum.RightToSeq().Head;
            var ttl = item.Ttl < 0 ? 0 : Math.Max(1, item.Ttl);
            if (ttl > MemcachedTtl.MaxRelativeSeconds) ttl += DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var stored = await Client.StoreCoreAsync(MemcachedStoreMode.Set, wireKey, (byte[])payload, item.Flags, ttl, item.Cas, cancellationToken).ConfigureAwait(false);
            switch (stored)
            {
                case MemcachedStoreResult.Stored: return Right<CacheError, long>(value);
                case MemcachedStoreResult.Failed: return Left<CacheError, long>(Unavailable(key));
            }
        }
        return Left<CacheError, long>(new CacheError.BackendFailure(key.Key,
            new CacheBackendException($"Incrementing '{Policy.MakeKey(key)}' lost {CasAttempts} compare-and-swap races in a row.")));
    }

    private CacheError Unavailable(CacheKey key) =>
        new CacheError.BackendFailure(key.Key, new CacheBackendException($"The memcached server for key '{Policy.MakeKey(key)}' is unavailable."));
}
