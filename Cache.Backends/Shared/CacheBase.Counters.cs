using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends;

public abstract partial class CacheBase
{
    /// <inheritdoc/>
    public virtual async Task<Either<CacheError, long>> IncrementAsync(string key, long delta = 1, int? version = null, CancellationToken cancellationToken = default) =>
        await Increment(Key(key, version), delta, FailuresAreMisses, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public virtual Task<Either<CacheError, long>> DecrementAsync(string key, long delta = 1, int? version = null, CancellationToken cancellationToken = default)
    {
        Guard.That(delta != long.MinValue, nameof(delta), "Decrement delta must be greater than long.MinValue.");
        return IncrementAsync(key, -delta, version, cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>Django's <c>incr_version</c>: the entry moves with the default timeout and the old version is deleted. Not atomic across processes.</remarks>
    public virtual async Task<Either<CacheError, int>> IncrementVersionAsync(string key, int delta = 1, int? version = null, CancellationToken cancellationToken = default)
    {
        // Moving an entry onto its own version would write it and then delete it.
        Guard.That(delta != 0, nameof(delta), "Version delta must not be 0.");
        var from = Key(key, version);
        var to = Key(key, checked(from.Version + delta));
        try
        {
            // Strict primitives: on a lenient backend a failed read must be a backend failure, not KeyNotFound.
            var payload = await ReadCore(from, cancellationToken).ConfigureAwait(false);
            if (payload.IsNone) return Left<CacheError, int>(new CacheError.KeyNotFound(key));
            var expiry = ExpiryOf(CacheTimeout.Default);
            if (expiry.IsSome) await WriteCore(to, payload.IfNone(StoredNull.Instance), expiry.IfNone(Expiry.Never), cancellationToken).ConfigureAwait(false);
            await RemoveCore(from, cancellationToken).ConfigureAwait(false);
            return Right<CacheError, int>(to.Version);
        }
        catch (CacheBackendException e) when (FailuresAreMisses && !e.IsRefusal)
        {
            ReportFailure(e);
            return Left<CacheError, int>(CacheError.Failed(key, e));
        }
    }

    /// <inheritdoc/>
    public virtual Task<Either<CacheError, int>> DecrementVersionAsync(string key, int delta = 1, int? version = null, CancellationToken cancellationToken = default)
    {
        Guard.That(delta != int.MinValue, nameof(delta), "Version delta must be greater than int.MinValue.");
        return IncrementVersionAsync(key, -delta, version, cancellationToken);
    }
}
