using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends;

public abstract partial class CacheBase
{
    /// <inheritdoc/>
    public virtual async Task<OptionUnsafe<T>> GetAsync<T>(string key, int? version = null, CancellationToken cancellationToken = default)
    {
        var payload = await ReadCore(Key(key, version), cancellationToken).ConfigureAwait(false);
        return payload.IsSome ? SomeUnsafe(Decode<T>(payload.IfNone(StoredNull.Instance))) : None;
    }

    /// <inheritdoc/>
    public virtual async Task<T> GetOrDefaultAsync<T>(string key, T defaultValue, int? version = null, CancellationToken cancellationToken = default)
    {
        var payload = await ReadCore(Key(key, version), cancellationToken).ConfigureAwait(false);
        return payload.IsSome ? Decode<T>(payload.IfNone(StoredNull.Instance)) : defaultValue;
    }

    /// <inheritdoc/>
    public virtual async Task SetAsync<T>(string key, T value, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default)
    {
        var cacheKey = Key(key, version);
        var payload = Encode(value);
        var expiry = ExpiryOf(timeout);
        if (expiry.IsSome) await WriteCore(cacheKey, payload, expiry.IfNone(Expiry.Never), cancellationToken).ConfigureAwait(false);
        else await RemoveCore(cacheKey, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public virtual async Task<bool> AddAsync<T>(string key, T value, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default)
    {
        var cacheKey = Key(key, version);
        var payload = Encode(value);
        var expiry = ExpiryOf(timeout);
        // Expired at once: report what an add would have done, store nothing.
        return expiry.IsSome
            ? await AddCore(cacheKey, payload, expiry.IfNone(Expiry.Never), cancellationToken).ConfigureAwait(false)
            : !await ContainsCore(cacheKey, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public virtual async Task<bool> DeleteAsync(string key, int? version = null, CancellationToken cancellationToken = default) =>
        await RemoveCore(Key(key, version), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public virtual async Task<bool> HasKeyAsync(string key, int? version = null, CancellationToken cancellationToken = default) =>
        await ContainsCore(Key(key, version), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public virtual async Task<bool> TouchAsync(string key, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default)
    {
        var cacheKey = Key(key, version);
        var expiry = ExpiryOf(timeout);
        return expiry.IsSome
            ? await TouchCore(cacheKey, expiry.IfNone(Expiry.Never), cancellationToken).ConfigureAwait(false)
            : await RemoveCore(cacheKey, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public virtual async Task ClearAsync(CancellationToken cancellationToken = default) =>
        await ClearCore(cancellationToken).ConfigureAwait(false);
}
