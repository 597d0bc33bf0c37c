using LanguageExt;

namespace FunctionalCache.Backends.Tiers;

// Every write asks L2 first, strictly (a lenient L2 such as memcached drops a write without a word otherwise), and
// reaches L1 only once L2 said yes; whatever L2 did, the change is announced on the backplane.
public sealed partial class TieredCache
{
    /// <inheritdoc/>
    public async Task SetAsync<T>(string key, T value, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default) =>
        (await TrySetAsync(key, value, timeout, version, cancellationToken).ConfigureAwait(false)).IfLeft(Answer);

    /// <inheritdoc/>
    public async Task<bool> AddAsync<T>(string key, T value, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default)
    {
        var added = await TryAddAsync(key, value, timeout, version, cancellationToken).ConfigureAwait(false);
        added.IfLeft(Answer);
        return added.IfLeft(false);
    }

    /// <inheritdoc/>
    public async Task<Seq<string>> SetManyAsync<T>(IEnumerable<KeyValuePair<string, T>> items, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(items, nameof(items));
        var v = VersionOf(version);
        var list = items as IReadOnlyCollection<KeyValuePair<string, T>> ?? items.ToList();
        var lifetime = Resolved(timeout);
        var before = list.Select(item => MarkOf(item.Key, v)).ToList();
        Seq<string> refused;
        try
        {
            refused = await _l2.SetManyAsync(list, timeout, v, cancellationToken).ConfigureAwait(false);
        }
        catch (CacheBackendException e)
        {
            foreach (var item in list) await Invalidate(item.Key, v).ConfigureAwait(false);
            Answer(CacheError.AllKeys, e);
            refused = list.Select(item => item.Key).ToSeq().Strict();
        }
        var refusedSet = refused.ToHashSet(StringComparer.Ordinal);
        var i = 0;
        foreach (var item in list)
        {
            if (refusedSet.Contains(item.Key)) await Invalidate(item.Key, v).ConfigureAwait(false);
            else await WriteThrough(item.Key, v, item.Value, lifetime, before[i], cancellationToken).ConfigureAwait(false);
            await PublishChanged(item.Key, v).ConfigureAwait(false);
            i++;
        }
        return refused;
    }

    /// <inheritdoc/>
    public async Task<bool> DeleteAsync(string key, int? version = null, CancellationToken cancellationToken = default)
    {
        var deleted = await TryDeleteAsync(key, version, cancellationToken).ConfigureAwait(false);
        deleted.IfLeft(Answer);
        return deleted.IfLeft(false);
    }

    /// <inheritdoc/>
    public async Task DeleteManyAsync(IEnumerable<string> keys, int? version = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(keys, nameof(keys));
        var v = VersionOf(version);
        var list = keys as IReadOnlyCollection<string> ?? keys.ToList();
        CacheBackendException? failure = null;
        try
        {
            await _l2.DeleteManyAsync(list, v, cancellationToken).ConfigureAwait(false);
        }
        catch (CacheBackendException e)
        {
            failure = e;
        }
        foreach (var key in list.Distinct(StringComparer.Ordinal))
        {
            await Invalidate(key, v).ConfigureAwait(false);
            await PublishChanged(key, v).ConfigureAwait(false);
        }
        if (failure is not null) Answer(CacheError.AllKeys, failure);
    }

    /// <inheritdoc/>
    public async Task<bool> TouchAsync(string key, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default)
    {
        var touched = await TryTouchAsync(key, timeout, version, cancellationToken).ConfigureAwait(false);
        touched.IfLeft(Answer);
        return touched.IfLeft(false);
    }

    /// <inheritdoc/>
    public Task<Either<CacheError, long>> IncrementAsync(string key, long delta = 1, int? version = null, CancellationToken cancellationToken = default) =>
        Count(key, version, v => _l2.IncrementAsync(key, delta, v, cancellationToken));

    /// <inheritdoc/>
    public Task<Either<CacheError, long>> DecrementAsync(string key, long delta = 1, int? version = null, CancellationToken cancellationToken = default) =>
        Count(key, version, v => _l2.DecrementAsync(key, delta, v, cancellationToken));

    /// <inheritdoc/>
    public Task<Either<CacheError, int>> IncrementVersionAsync(string key, int delta = 1, int? version = null, CancellationToken cancellationToken = default) =>
        MoveVersion(key, version, v => _l2.IncrementVersionAsync(key, delta, v, cancellationToken));

    /// <inheritdoc/>
    public Task<Either<CacheError, int>> DecrementVersionAsync(string key, int delta = 1, int? version = null, CancellationToken cancellationToken = default) =>
        MoveVersion(key, version, v => _l2.DecrementVersionAsync(key, delta, v, cancellationToken));

    /// <inheritdoc/>
    public async Task ClearAsync(CancellationToken cancellationToken = default) =>
        (await TryClearAsync(cancellationToken).ConfigureAwait(false)).IfLeft(Answer);

    /// <summary>A counter step on L2; the L1 copy is dropped (the next read copies the new number with its lifetime).</summary>
    private async Task<Either<CacheError, long>> Count(string key, int? version, Func<int, Task<Either<CacheError, long>>> step)
    {
        var v = VersionOf(version);
        Either<CacheError, long> result;
        try
        {
            result = await step(v).ConfigureAwait(false);
        }
        catch (CacheBackendException e)
        {
            result = CacheError.Failed(key, e);
        }
        await Invalidate(key, v).ConfigureAwait(false);
        await PublishChanged(key, v).ConfigureAwait(false);
        result.IfLeft(Answer);
        return result;
    }

    /// <summary>A version move on L2; both versions' L1 copies are dropped.</summary>
    private async Task<Either<CacheError, int>> MoveVersion(string key, int? version, Func<int, Task<Either<CacheError, int>>> move)
    {
        var v = VersionOf(version);
        Either<CacheError, int> result;
        try
        {
            result = await move(v).ConfigureAwait(false);
        }
        catch (CacheBackendException e)
        {
            result = CacheError.Failed(key, e);
        }
        await Invalidate(key, v).ConfigureAwait(false);
        await PublishChanged(key, v).ConfigureAwait(false);
        foreach (var moved in result.RightToSeq())
        {
            await Invalidate(key, moved).ConfigureAwait(false);
            await PublishChanged(key, moved).ConfigureAwait(false);
        }
        result.IfLeft(Answer);
        return result;
    }
}
