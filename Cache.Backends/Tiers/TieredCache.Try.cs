using LanguageExt;

namespace FunctionalCache.Backends.Tiers;

// The strict writes every plain write is built on: L2's answer passes through as it is, and L1 follows it.
public sealed partial class TieredCache
{
    /// <inheritdoc/>
    public async Task<Either<CacheError, Unit>> TrySetAsync<T>(string key, T value, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default)
    {
        var v = VersionOf(version);
        var before = MarkOf(key, v);
        var stored = await _l2.TrySetAsync(key, value, timeout, v, cancellationToken).ConfigureAwait(false);
        if (stored.IsRight) await WriteThrough(key, v, value, Resolved(timeout), before, cancellationToken).ConfigureAwait(false);
        else await Invalidate(key, v).ConfigureAwait(false);
        await PublishChanged(key, v).ConfigureAwait(false);
        return stored;
    }

    /// <inheritdoc/>
    public async Task<Either<CacheError, bool>> TryAddAsync<T>(string key, T value, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default)
    {
        var v = VersionOf(version);
        var before = MarkOf(key, v);
        var added = await _l2.TryAddAsync(key, value, timeout, v, cancellationToken).ConfigureAwait(false);
        if (added.IfLeft(false))
        {
            await WriteThrough(key, v, value, Resolved(timeout), before, cancellationToken).ConfigureAwait(false);
            await PublishChanged(key, v).ConfigureAwait(false);
        }
        else if (added.IsLeft) await Invalidate(key, v).ConfigureAwait(false);
        return added;
    }

    /// <inheritdoc/>
    public async Task<Either<CacheError, bool>> TryDeleteAsync(string key, int? version = null, CancellationToken cancellationToken = default)
    {
        var v = VersionOf(version);
        var deleted = await _l2.TryDeleteAsync(key, v, cancellationToken).ConfigureAwait(false);
        await Invalidate(key, v).ConfigureAwait(false);
        await PublishChanged(key, v).ConfigureAwait(false);
        return deleted;
    }

    /// <inheritdoc/>
    public async Task<Either<CacheError, bool>> TryTouchAsync(string key, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default)
    {
        var v = VersionOf(version);
        var touched = await _l2.TryTouchAsync(key, timeout, v, cancellationToken).ConfigureAwait(false);
        // Dropped rather than touched: the next read copies the entry with the lifetime L2 now gives it.
        await Invalidate(key, v).ConfigureAwait(false);
        await PublishChanged(key, v).ConfigureAwait(false);
        return touched;
    }

    /// <inheritdoc/>
    public async Task<Either<CacheError, Unit>> TryClearAsync(CancellationToken cancellationToken = default)
    {
        var cleared = await _l2.TryClearAsync(cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _clears);
        await _l1.ClearAsync(CancellationToken.None).ConfigureAwait(false);
        await Publish(BackplaneMessage.Cleared(NodeId)).ConfigureAwait(false);
        return cleared;
    }
}
