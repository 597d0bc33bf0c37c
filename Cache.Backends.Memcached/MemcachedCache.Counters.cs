using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends.Memcached;

public sealed partial class MemcachedCache
{
    /// <summary>How often the compare-and-swap increment retries against concurrent writers.</summary>
    private const int CasAttempts = 64;

    /// <inheritdoc/>
    /// <remarks>
    /// memcached's <c>ma</c>, kept inside <see cref="long"/>'s range by <see cref="MemcachedCounterRange"/>: a decrement
    /// stops at 0; see the class remarks.
    /// </remarks>
    protected override async ValueTask<Either<CacheError, long>> IncrementCore(CacheKey key, long delta, CancellationToken cancellationToken)
    {
        var wireKey = WireKey(key);
        // memcached's 0 after subtracting 2^63 cannot tell a stored 2^63 (an overflow) from a smaller counter.
        if (delta == long.MinValue) return await CompareAndSwapIncrement(key, wireKey, delta, cancellationToken).ConfigureAwait(false);
        var decrement = delta < 0;
        var magnitude = (ulong)Math.Abs(delta);
        var counter = await Client.ArithmeticCoreAsync(wireKey, magnitude, decrement, cancellationToken).ConfigureAwait(false);
        switch (counter.Status)
        {
            case MemcachedCounterStatus.Done when MemcachedCounterRange.Check(counter.Value, magnitude, decrement) is { } undo:
                // Undone by the opposite change, not by a write: concurrent changes in between are kept.
                // A key deleted or replaced by a text meanwhile needs no undo: the overflowed value is gone either way.
                var undone = await Client.ArithmeticCoreAsync(wireKey, undo.Delta, undo.Decrement, cancellationToken).ConfigureAwait(false);
                // An increment that added a digit leaves the undone number padded with a blank.
                if (undone.Status == MemcachedCounterStatus.Done && undo.Decrement) await UnpadAsync(wireKey, cancellationToken).ConfigureAwait(false);
                return Left<CacheError, long>(new CacheError.Overflow(key.Key));
            case MemcachedCounterStatus.Done:
                return Right<CacheError, long>((long)counter.Value);
            case MemcachedCounterStatus.NotFound:
                return Left<CacheError, long>(new CacheError.KeyNotFound(key.Key));
            case MemcachedCounterStatus.NonNumeric:
                return await CompareAndSwapIncrement(key, wireKey, delta, cancellationToken).ConfigureAwait(false);
            default:
                // The client throws CacheBackendException for a failed server; this is a status it never answers.
                throw new CacheBackendException($"memcached's ma on '{Policy.MakeKey(key)}' ended {counter.Status}.");
        }
    }

    /// <summary>
    /// The increment memcached cannot do itself (a negative integer, a number past 2^64, not a number at all, or a
    /// change by <see cref="long.MinValue"/>): read with the CAS token, compute, store only if nobody changed the
    /// item meanwhile, keeping its remaining TTL. A counter at or above 0 still stops at 0, as memcached's own would.
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
            // value < 0 <= value - delta: the counter was at or above 0 and went below.
            if (delta < 0 && value < 0 && value >= delta) (payload, value) = (IntegerText.Format(0), 0);
            var stored = await Client.StoreCoreAsync(MemcachedStoreMode.Set, wireKey, (byte[])payload, item.Flags, RemainingTtl(item), item.Cas, cancellationToken).ConfigureAwait(false);
            // Anything but Stored (the item changed or went meanwhile) is read again.
            if (stored == MemcachedStoreResult.Stored) return Right<CacheError, long>(value);
        }
        // Thrown like any backend failure, so the cache reports it (log, metrics) before answering it.
        throw new CacheBackendException($"Incrementing '{Policy.MakeKey(key)}' lost {CasAttempts} compare-and-swap races in a row.");
    }

    /// <summary>
    /// Takes off the blanks memcached pads a number with when it loses digits, from a value without
    /// <see cref="CounterFlag"/> (a text the caller stored, which reads do not trim), so that a value whose overflow
    /// was undone reads back as it was stored. Compare-and-swap: a value changed meanwhile is left alone.
    /// </summary>
    private async ValueTask UnpadAsync(byte[] wireKey, CancellationToken cancellationToken)
    {
        var read = await Client.GetCoreAsync(wireKey, true, cancellationToken).ConfigureAwait(false);
        if (read.IsNone) return;
        var item = read.IfNone(default(MemcachedItem));
        if ((item.Flags & (CounterFlag | NullFlag)) != 0 || item.Value.Length == 0 || item.Value[^1] != (byte)' ') return;
        var digits = item.Value.AsSpan().TrimEnd((byte)' ');
        if (!PayloadArithmetic.IsDecimalInteger(digits)) return;
        await Client.StoreCoreAsync(MemcachedStoreMode.Set, wireKey, digits.ToArray(), item.Flags, RemainingTtl(item), item.Cas, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The TTL to write back with an item read with its TTL: what it had left, at least a second.</summary>
    private static long RemainingTtl(MemcachedItem item)
    {
        var ttl = item.Ttl < 0 ? 0 : Math.Max(1, item.Ttl);
        return ttl > MemcachedTtl.MaxRelativeSeconds ? ttl + DateTimeOffset.UtcNow.ToUnixTimeSeconds() : ttl;
    }
}
