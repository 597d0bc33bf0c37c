using LanguageExt;

namespace FunctionalCache.Backends.Diagnostics;

public sealed partial class InstrumentedCache
{
    /// <inheritdoc/>
    public Task<OptionUnsafe<T>> GetAsync<T>(string key, int? version = null, CancellationToken cancellationToken = default) =>
        Quiet ? _inner.GetAsync<T>(key, version, cancellationToken) : Measure("get", async () =>
        {
            var found = await _inner.GetAsync<T>(key, version, cancellationToken).ConfigureAwait(false);
            Count(found.IsSome ? CacheMetrics.Hits : CacheMetrics.Misses, 1);
            return found;
        });

    /// <inheritdoc/>
    public Task<T> GetOrDefaultAsync<T>(string key, T defaultValue, int? version = null, CancellationToken cancellationToken = default) =>
        Quiet ? _inner.GetOrDefaultAsync<T>(key, defaultValue, version, cancellationToken) : Measure("get_or_default", () => _inner.GetOrDefaultAsync(key, defaultValue, version, cancellationToken));

    /// <inheritdoc/>
    public Task SetAsync<T>(string key, T value, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default) =>
        Quiet ? _inner.SetAsync<T>(key, value, timeout, version, cancellationToken) : Measure("set", async () =>
        {
            if (_lenient)
            {
                // A lenient backend returns normally from a write it dropped: ask it strictly so a dropped write is
                // counted as a backend error (and logged once, here) and not as a set, then swallow it as it would.
                var stored = Counted("set", await _inner.TrySetAsync(key, value, timeout, version, cancellationToken).ConfigureAwait(false));
                if (stored.IsRight) Count(CacheMetrics.Sets, 1);
                return;
            }
            await _inner.SetAsync(key, value, timeout, version, cancellationToken).ConfigureAwait(false);
            Count(CacheMetrics.Sets, 1);
        });

    /// <inheritdoc/>
    public Task<bool> AddAsync<T>(string key, T value, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default) =>
        Quiet ? _inner.AddAsync<T>(key, value, timeout, version, cancellationToken) : Measure("add", async () =>
        {
            var added = await _inner.AddAsync(key, value, timeout, version, cancellationToken).ConfigureAwait(false);
            if (added) Count(CacheMetrics.Sets, 1);
            return added;
        });

    /// <inheritdoc/>
    public Task<IReadOnlyDictionary<string, T>> GetManyAsync<T>(IEnumerable<string> keys, int? version = null, CancellationToken cancellationToken = default) =>
        Quiet ? _inner.GetManyAsync<T>(keys, version, cancellationToken) : Measure("get_many", async () =>
        {
            var list = keys as IReadOnlyCollection<string> ?? keys.ToList();
            var found = await _inner.GetManyAsync<T>(list, version, cancellationToken).ConfigureAwait(false);
            Count(CacheMetrics.Hits, found.Count);
            Count(CacheMetrics.Misses, list.Distinct().Count() - found.Count);
            return found;
        });

    /// <inheritdoc/>
    public Task<Seq<string>> SetManyAsync<T>(IEnumerable<KeyValuePair<string, T>> items, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default) =>
        Quiet ? _inner.SetManyAsync<T>(items, timeout, version, cancellationToken) : Measure("set_many", async () =>
        {
            var list = items as IReadOnlyCollection<KeyValuePair<string, T>> ?? items.ToList();
            var refused = await _inner.SetManyAsync(list, timeout, version, cancellationToken).ConfigureAwait(false);
            Count(CacheMetrics.Sets, list.Count - refused.Count);
            return refused;
        });

    /// <inheritdoc/>
    public Task<bool> DeleteAsync(string key, int? version = null, CancellationToken cancellationToken = default) =>
        Quiet ? _inner.DeleteAsync(key, version, cancellationToken) : Measure("delete", () => _inner.DeleteAsync(key, version, cancellationToken));

    /// <inheritdoc/>
    public Task DeleteManyAsync(IEnumerable<string> keys, int? version = null, CancellationToken cancellationToken = default) =>
        Quiet ? _inner.DeleteManyAsync(keys, version, cancellationToken) : Measure("delete_many", () => _inner.DeleteManyAsync(keys, version, cancellationToken));

    /// <inheritdoc/>
    public Task<bool> HasKeyAsync(string key, int? version = null, CancellationToken cancellationToken = default) =>
        Quiet ? _inner.HasKeyAsync(key, version, cancellationToken) : Measure("has_key", () => _inner.HasKeyAsync(key, version, cancellationToken));

    /// <inheritdoc/>
    public Task<bool> TouchAsync(string key, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default) =>
        Quiet ? _inner.TouchAsync(key, timeout, version, cancellationToken) : Measure("touch", () => _inner.TouchAsync(key, timeout, version, cancellationToken));

    /// <inheritdoc/>
    public Task<Either<CacheError, long>> IncrementAsync(string key, long delta = 1, int? version = null, CancellationToken cancellationToken = default) =>
        Quiet ? _inner.IncrementAsync(key, delta, version, cancellationToken) : Measure("incr", () => _inner.IncrementAsync(key, delta, version, cancellationToken));

    /// <inheritdoc/>
    public Task<Either<CacheError, long>> DecrementAsync(string key, long delta = 1, int? version = null, CancellationToken cancellationToken = default) =>
        Quiet ? _inner.DecrementAsync(key, delta, version, cancellationToken) : Measure("decr", () => _inner.DecrementAsync(key, delta, version, cancellationToken));

    /// <inheritdoc/>
    public Task<Either<CacheError, int>> IncrementVersionAsync(string key, int delta = 1, int? version = null, CancellationToken cancellationToken = default) =>
        Quiet ? _inner.IncrementVersionAsync(key, delta, version, cancellationToken) : Measure("incr_version", () => _inner.IncrementVersionAsync(key, delta, version, cancellationToken));

    /// <inheritdoc/>
    public Task<Either<CacheError, int>> DecrementVersionAsync(string key, int delta = 1, int? version = null, CancellationToken cancellationToken = default) =>
        Quiet ? _inner.DecrementVersionAsync(key, delta, version, cancellationToken) : Measure("decr_version", () => _inner.DecrementVersionAsync(key, delta, version, cancellationToken));

    /// <inheritdoc/>
    public Task<T> GetOrSetAsync<T>(string key, Func<CancellationToken, Task<T>> factory, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default) =>
        Quiet ? _inner.GetOrSetAsync(key, factory, timeout, version, cancellationToken) : Measure("get_or_set", async () =>
        {
            var ran = 0;
            var value = await _inner.GetOrSetAsync(key, async token =>
            {
                Interlocked.Exchange(ref ran, 1);
                return await factory(token).ConfigureAwait(false);
            }, timeout, version, cancellationToken).ConfigureAwait(false);
            if (Volatile.Read(ref ran) == 1) { Count(CacheMetrics.Misses, 1); Count(CacheMetrics.Sets, 1); }
            else Count(CacheMetrics.Hits, 1);
            return value;
        });

    /// <inheritdoc/>
    public Task ClearAsync(CancellationToken cancellationToken = default) =>
        Quiet ? _inner.ClearAsync(cancellationToken) : Measure("clear", () => _inner.ClearAsync(cancellationToken));
}
