using LanguageExt;

namespace FunctionalCache.Backends.FailSafe;

// The plain operations: the wrapped cache's, plus the stale copy kept beside what they write and removed with what they delete.
public sealed partial class FailSafeCache
{
    /// <inheritdoc/>
    public Task<OptionUnsafe<T>> GetAsync<T>(string key, int? version = null, CancellationToken cancellationToken = default) =>
        _inner.GetAsync<T>(key, version, cancellationToken);

    /// <inheritdoc/>
    public Task<T> GetOrDefaultAsync<T>(string key, T defaultValue, int? version = null, CancellationToken cancellationToken = default) =>
        _inner.GetOrDefaultAsync(key, defaultValue, version, cancellationToken);

    /// <inheritdoc/>
    /// <remarks>Then writes the stale copy; a failure to write it is logged and counted, not thrown (the value was stored).</remarks>
    public async Task SetAsync<T>(string key, T value, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default)
    {
        var timing = TimingOf(timeout, jittered: false);
        await _inner.SetAsync(key, value, timeout, version, cancellationToken).ConfigureAwait(false);
        await WriteStaleAsync(key, value, timing, version).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<bool> AddAsync<T>(string key, T value, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default)
    {
        var timing = TimingOf(timeout, jittered: false);
        var added = await _inner.AddAsync(key, value, timeout, version, cancellationToken).ConfigureAwait(false);
        if (added) await WriteStaleAsync(key, value, timing, version).ConfigureAwait(false);
        return added;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyDictionary<string, T>> GetManyAsync<T>(IEnumerable<string> keys, int? version = null, CancellationToken cancellationToken = default) =>
        _inner.GetManyAsync<T>(keys, version, cancellationToken);

    /// <inheritdoc/>
    public async Task<Seq<string>> SetManyAsync<T>(IEnumerable<KeyValuePair<string, T>> items, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(items, nameof(items));
        var list = items as IReadOnlyCollection<KeyValuePair<string, T>> ?? items.ToList();
        var timing = TimingOf(timeout, jittered: false);
        var refused = await _inner.SetManyAsync(list, timeout, version, cancellationToken).ConfigureAwait(false);
        var refusedKeys = refused.ToHashSet();
        // The last write of a key wins, as in the wrapped cache.
        var stored = new Dictionary<string, T>();
        foreach (var item in list) if (!refusedKeys.Contains(item.Key)) stored[item.Key] = item.Value;
        foreach (var item in stored) await WriteStaleAsync(item.Key, item.Value, timing, version).ConfigureAwait(false);
        return refused;
    }

    /// <inheritdoc/>
    /// <remarks>The stale copy goes first: if removing it fails, the value is still there and the failure reaches the caller,
    /// so a delete never leaves a copy behind that could come back.</remarks>
    public async Task<bool> DeleteAsync(string key, int? version = null, CancellationToken cancellationToken = default)
    {
        if (StaleKeyOf(key, version) is { } staleKey) await _inner.DeleteAsync(staleKey, version, cancellationToken).ConfigureAwait(false);
        return await _inner.DeleteAsync(key, version, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task DeleteManyAsync(IEnumerable<string> keys, int? version = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(keys, nameof(keys));
        var list = keys as IReadOnlyCollection<string> ?? keys.ToList();
        var staleKeys = list.Select(key => StaleKeyOf(key, version)).OfType<string>().ToList();
        if (staleKeys.Count > 0) await _inner.DeleteManyAsync(staleKeys, version, cancellationToken).ConfigureAwait(false);
        await _inner.DeleteManyAsync(list, version, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public Task<bool> HasKeyAsync(string key, int? version = null, CancellationToken cancellationToken = default) =>
        _inner.HasKeyAsync(key, version, cancellationToken);

    /// <inheritdoc/>
    /// <remarks>A touched live value's stale copy is touched too, so the window follows the new expiry.</remarks>
    public async Task<bool> TouchAsync(string key, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default)
    {
        var touched = await _inner.TouchAsync(key, timeout, version, cancellationToken).ConfigureAwait(false);
        if (touched) await TouchStaleAsync(key, TimingOf(timeout, jittered: false), version).ConfigureAwait(false);
        return touched;
    }

    /// <inheritdoc/>
    /// <remarks>The wrapped cache's atomic increment; the stale copy keeps the value last written by set or get-or-set.</remarks>
    public Task<Either<CacheError, long>> IncrementAsync(string key, long delta = 1, int? version = null, CancellationToken cancellationToken = default) =>
        _inner.IncrementAsync(key, delta, version, cancellationToken);

    /// <inheritdoc/>
    public Task<Either<CacheError, long>> DecrementAsync(string key, long delta = 1, int? version = null, CancellationToken cancellationToken = default) =>
        _inner.DecrementAsync(key, delta, version, cancellationToken);

    /// <inheritdoc/>
    /// <remarks>The value leaves its version, so its stale copy there is removed: it must not come back at the old version.</remarks>
    public async Task<Either<CacheError, int>> IncrementVersionAsync(string key, int delta = 1, int? version = null, CancellationToken cancellationToken = default)
    {
        var moved = await _inner.IncrementVersionAsync(key, delta, version, cancellationToken).ConfigureAwait(false);
        if (moved.IsRight && StaleKeyOf(key, version) is { } staleKey) await _inner.DeleteAsync(staleKey, version, cancellationToken).ConfigureAwait(false);
        return moved;
    }

    /// <inheritdoc/>
    public async Task<Either<CacheError, int>> DecrementVersionAsync(string key, int delta = 1, int? version = null, CancellationToken cancellationToken = default)
    {
        var moved = await _inner.DecrementVersionAsync(key, delta, version, cancellationToken).ConfigureAwait(false);
        if (moved.IsRight && StaleKeyOf(key, version) is { } staleKey) await _inner.DeleteAsync(staleKey, version, cancellationToken).ConfigureAwait(false);
        return moved;
    }

    /// <inheritdoc/>
    /// <remarks>The stale copies live in the wrapped cache's storage, so they go with everything else.</remarks>
    public Task ClearAsync(CancellationToken cancellationToken = default) => _inner.ClearAsync(cancellationToken);
}
