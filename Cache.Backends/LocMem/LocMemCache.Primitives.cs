using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends.LocMem;

public sealed partial class LocMemCache
{
    /// <inheritdoc/>
    protected override ValueTask<Option<object>> ReadCore(CacheKey key, CancellationToken cancellationToken) =>
        ValueTask.FromResult(LivePayload(key));

    /// <inheritdoc/>
    /// <remarks>In memory, so one synchronous pass: no per-key await, and a first call has no async loop to compile.</remarks>
    protected override ValueTask<Option<object>[]> ReadManyCore(IReadOnlyList<CacheKey> keys, CancellationToken cancellationToken)
    {
        var found = new Option<object>[keys.Count];
        for (var i = 0; i < found.Length; i++) found[i] = LivePayload(keys[i]);
        return ValueTask.FromResult(found);
    }

    // A read: the live entry's payload (its LRU stamp refreshed), or None.
    private Option<object> LivePayload(CacheKey key) =>
        TryLive(Slot(key), touchStamp: true, out var entry) ? Some(entry.Payload) : Option<object>.None;

    /// <inheritdoc/>
    protected override ValueTask WriteCore(CacheKey key, object payload, Expiry expiry, CancellationToken cancellationToken)
    {
        SetPayload(key, KeyIsValid(key), payload, Some(expiry));
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    protected override ValueTask<bool> AddCore(CacheKey key, object payload, Expiry expiry, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AddPayload(key, KeyIsValid(key), payload, Some(expiry)));

    /// <inheritdoc/>
    protected override ValueTask<bool> TouchCore(CacheKey key, Expiry expiry, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Retime(key, expiry));

    /// <inheritdoc/>
    protected override ValueTask<bool> RemoveCore(CacheKey key, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Remove(Slot(key)));

    /// <inheritdoc/>
    protected override ValueTask<bool> ContainsCore(CacheKey key, CancellationToken cancellationToken) =>
        ValueTask.FromResult(TryLive(Slot(key), touchStamp: false, out _));

    /// <inheritdoc/>
    protected override ValueTask<Either<CacheError, long>> IncrementCore(CacheKey key, long delta, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AddToCounter(key, delta));

    /// <inheritdoc/>
    protected override ValueTask ClearCore(CancellationToken cancellationToken)
    {
        ClearAll();
        return ValueTask.CompletedTask;
    }
}
