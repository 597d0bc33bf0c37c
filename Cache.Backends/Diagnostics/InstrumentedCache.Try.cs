using LanguageExt;
using Microsoft.Extensions.Logging;

namespace FunctionalCache.Backends.Diagnostics;

public sealed partial class InstrumentedCache
{
    /// <inheritdoc/>
    public Task<Either<CacheError, OptionUnsafe<T>>> TryGetAsync<T>(string key, int? version = null, CancellationToken cancellationToken = default) =>
        Quiet ? _inner.TryGetAsync<T>(key, version, cancellationToken) : Measure("get", async () =>
        {
            var found = Counted("get", await _inner.TryGetAsync<T>(key, version, cancellationToken).ConfigureAwait(false));
            found.IfRight(value => Count(value.IsSome ? CacheMetrics.Hits : CacheMetrics.Misses, 1));
            return found;
        });

    /// <inheritdoc/>
    public Task<Either<CacheError, Unit>> TrySetAsync<T>(string key, T value, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default) =>
        Quiet ? _inner.TrySetAsync(key, value, timeout, version, cancellationToken) : Measure("set", async () =>
        {
            var stored = Counted("set", await _inner.TrySetAsync(key, value, timeout, version, cancellationToken).ConfigureAwait(false));
            if (stored.IsRight) Count(CacheMetrics.Sets, 1);
            return stored;
        });

    /// <inheritdoc/>
    public Task<Either<CacheError, bool>> TryAddAsync<T>(string key, T value, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default) =>
        Quiet ? _inner.TryAddAsync(key, value, timeout, version, cancellationToken) : Measure("add", async () =>
        {
            var added = Counted("add", await _inner.TryAddAsync(key, value, timeout, version, cancellationToken).ConfigureAwait(false));
            if (added.IfLeft(false)) Count(CacheMetrics.Sets, 1);
            return added;
        });

    /// <inheritdoc/>
    public Task<Either<CacheError, bool>> TryDeleteAsync(string key, int? version = null, CancellationToken cancellationToken = default) =>
        Quiet ? _inner.TryDeleteAsync(key, version, cancellationToken) : Measure("delete", async () =>
            Counted("delete", await _inner.TryDeleteAsync(key, version, cancellationToken).ConfigureAwait(false)));

    /// <inheritdoc/>
    public Task<Either<CacheError, bool>> TryTouchAsync(string key, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default) =>
        Quiet ? _inner.TryTouchAsync(key, timeout, version, cancellationToken) : Measure("touch", async () =>
            Counted("touch", await _inner.TryTouchAsync(key, timeout, version, cancellationToken).ConfigureAwait(false)));

    /// <inheritdoc/>
    public Task<Either<CacheError, Unit>> TryClearAsync(CancellationToken cancellationToken = default) =>
        Quiet ? _inner.TryClearAsync(cancellationToken) : Measure("clear", async () =>
            Counted("clear", await _inner.TryClearAsync(cancellationToken).ConfigureAwait(false)));

    /// <summary>The result, with a backend failure counted and logged as a thrown one would be.</summary>
    private Either<CacheError, T> Counted<T>(string operation, Either<CacheError, T> result)
    {
        result.IfLeft(error =>
        {
            if (error is not CacheError.BackendFailure failure) return;
            Count(CacheMetrics.BackendErrors, 1);
            _logger.LogWarning(failure.Cause, "Cache '{Alias}' ({Backend}) failed in {Operation}: {Message}", Alias, Backend, operation, failure.Cause.Message);
        });
        return result;
    }
}
