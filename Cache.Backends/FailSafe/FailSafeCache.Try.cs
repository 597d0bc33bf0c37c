using LanguageExt;

namespace FunctionalCache.Backends.FailSafe;

// The Try… operations: the wrapped cache's answers, passed through, with the stale copy handled as in the plain ones.
public sealed partial class FailSafeCache
{
    /// <inheritdoc/>
    public Task<Either<CacheError, OptionUnsafe<T>>> TryGetAsync<T>(string key, int? version = null, CancellationToken cancellationToken = default) =>
        _inner.TryGetAsync<T>(key, version, cancellationToken);

    /// <inheritdoc/>
    public async Task<Either<CacheError, Unit>> TrySetAsync<T>(string key, T value, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default)
    {
        var timing = TimingOf(timeout, jittered: false);
        var stored = await _inner.TrySetAsync(key, value, timeout, version, cancellationToken).ConfigureAwait(false);
        if (stored.IsRight) await WriteStaleAsync(key, value, timing, version).ConfigureAwait(false);
        return stored;
    }

    /// <inheritdoc/>
    public async Task<Either<CacheError, bool>> TryAddAsync<T>(string key, T value, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default)
    {
        var timing = TimingOf(timeout, jittered: false);
        var added = await _inner.TryAddAsync(key, value, timeout, version, cancellationToken).ConfigureAwait(false);
        if (added.IfLeft(false)) await WriteStaleAsync(key, value, timing, version).ConfigureAwait(false);
        return added;
    }

    /// <inheritdoc/>
    /// <remarks>A failure to remove the stale copy is the answer (<c>Left</c>): the value is left alone, and nothing can come back.</remarks>
    public async Task<Either<CacheError, bool>> TryDeleteAsync(string key, int? version = null, CancellationToken cancellationToken = default)
    {
        if (StaleKeyOf(key, version) is { } staleKey)
        {
            var copy = await _inner.TryDeleteAsync(staleKey, version, cancellationToken).ConfigureAwait(false);
            if (copy.IsLeft) return copy;
        }
        return await _inner.TryDeleteAsync(key, version, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<Either<CacheError, bool>> TryTouchAsync(string key, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default)
    {
        var touched = await _inner.TryTouchAsync(key, timeout, version, cancellationToken).ConfigureAwait(false);
        if (touched.IfLeft(false)) await TouchStaleAsync(key, TimingOf(timeout, jittered: false), version).ConfigureAwait(false);
        return touched;
    }

    /// <inheritdoc/>
    public Task<Either<CacheError, Unit>> TryClearAsync(CancellationToken cancellationToken = default) => _inner.TryClearAsync(cancellationToken);
}
