using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends.Chaos;

// The Try… operations: Left(BackendFailure) exactly when the schedule fails the call (or the wrapped cache does),
// lenient or not.
public sealed partial class ChaosCache
{
    /// <inheritdoc/>
    /// <exception cref="CacheSerializationException">The call was corrupted and the bytes are no <typeparamref name="T"/>.</exception>
    public async Task<Either<CacheError, OptionUnsafe<T>>> TryGetAsync<T>(string key, int? version = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(key, nameof(key));
        var entry = await EnterAsync(ChaosOperation.Get, cancellationToken).ConfigureAwait(false);
        return entry.Verdict switch
        {
            Verdict.Fail => CacheError.Failed(key, entry.Failure!),
            Verdict.Corrupt => Right<CacheError, OptionUnsafe<T>>(SomeUnsafe(Corrupted<T>())),
            _ => await _inner.TryGetAsync<T>(key, version, cancellationToken).ConfigureAwait(false),
        };
    }

    /// <inheritdoc/>
    public async Task<Either<CacheError, Unit>> TrySetAsync<T>(string key, T value, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(key, nameof(key));
        var entry = await EnterAsync(ChaosOperation.Set, cancellationToken).ConfigureAwait(false);
        return entry.Verdict == Verdict.Fail
            ? CacheError.Failed(key, entry.Failure!)
            : await _inner.TrySetAsync(key, value, timeout, version, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<Either<CacheError, bool>> TryAddAsync<T>(string key, T value, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(key, nameof(key));
        var entry = await EnterAsync(ChaosOperation.Add, cancellationToken).ConfigureAwait(false);
        return entry.Verdict == Verdict.Fail
            ? CacheError.Failed(key, entry.Failure!)
            : await _inner.TryAddAsync(key, value, timeout, version, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<Either<CacheError, bool>> TryDeleteAsync(string key, int? version = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(key, nameof(key));
        var entry = await EnterAsync(ChaosOperation.Delete, cancellationToken).ConfigureAwait(false);
        return entry.Verdict == Verdict.Fail
            ? CacheError.Failed(key, entry.Failure!)
            : await _inner.TryDeleteAsync(key, version, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<Either<CacheError, bool>> TryTouchAsync(string key, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(key, nameof(key));
        var entry = await EnterAsync(ChaosOperation.Touch, cancellationToken).ConfigureAwait(false);
        return entry.Verdict == Verdict.Fail
            ? CacheError.Failed(key, entry.Failure!)
            : await _inner.TryTouchAsync(key, timeout, version, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<Either<CacheError, Unit>> TryClearAsync(CancellationToken cancellationToken = default)
    {
        var entry = await EnterAsync(ChaosOperation.Clear, cancellationToken).ConfigureAwait(false);
        return entry.Verdict == Verdict.Fail
            ? CacheError.Failed(CacheError.AllKeys, entry.Failure!)
            : await _inner.TryClearAsync(cancellationToken).ConfigureAwait(false);
    }
}
