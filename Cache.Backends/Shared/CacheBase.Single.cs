using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends;

// Each operation is written once, over primitives that are lenient or not; the plain method runs it with the
// backend's FailuresAreMisses, the Try… method strictly, with the failure turned into a value.
public abstract partial class CacheBase
{
    /// <inheritdoc/>
    public virtual Task<OptionUnsafe<T>> GetAsync<T>(string key, int? version = null, CancellationToken cancellationToken = default) =>
        Get<T>(Key(key, version), FailuresAreMisses, cancellationToken);

    /// <inheritdoc/>
    public virtual async Task<Either<CacheError, OptionUnsafe<T>>> TryGetAsync<T>(string key, int? version = null, CancellationToken cancellationToken = default)
    {
        var cacheKey = Key(key, version);
        try { return await Get<T>(cacheKey, false, cancellationToken).ConfigureAwait(false); }
        catch (CacheBackendException e) { return CacheError.Failed(key, e); }
    }

    private async Task<OptionUnsafe<T>> Get<T>(CacheKey key, bool lenient, CancellationToken cancellationToken)
    {
        var payload = await Read(key, lenient, cancellationToken).ConfigureAwait(false);
        return payload.IsSome ? SomeUnsafe(Decode<T>(payload.IfNone(StoredNull.Instance))) : None;
    }

    /// <inheritdoc/>
    public virtual async Task<T> GetOrDefaultAsync<T>(string key, T defaultValue, int? version = null, CancellationToken cancellationToken = default)
    {
        var payload = await Read(Key(key, version), FailuresAreMisses, cancellationToken).ConfigureAwait(false);
        return payload.IsSome ? Decode<T>(payload.IfNone(StoredNull.Instance)) : defaultValue;
    }

    /// <inheritdoc/>
    public virtual Task SetAsync<T>(string key, T value, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default) =>
        Set(Key(key, version), value, timeout, FailuresAreMisses, cancellationToken);

    /// <inheritdoc/>
    public virtual async Task<Either<CacheError, Unit>> TrySetAsync<T>(string key, T value, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default)
    {
        var cacheKey = Key(key, version);
        try { await Set(cacheKey, value, timeout, false, cancellationToken).ConfigureAwait(false); return unit; }
        catch (CacheBackendException e) { return CacheError.Failed(key, e); }
    }

    private async Task Set<T>(CacheKey key, T value, CacheTimeout? timeout, bool lenient, CancellationToken cancellationToken)
    {
        var payload = Encode(value);
        var expiry = ExpiryOf(timeout);
        if (expiry.IsSome) await Write(key, payload, expiry.IfNone(Expiry.Never), lenient, cancellationToken).ConfigureAwait(false);
        else await Remove(key, lenient, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public virtual Task<bool> AddAsync<T>(string key, T value, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default) =>
        Add(Key(key, version), value, timeout, FailuresAreMisses, cancellationToken);

    /// <inheritdoc/>
    public virtual async Task<Either<CacheError, bool>> TryAddAsync<T>(string key, T value, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default)
    {
        var cacheKey = Key(key, version);
        try { return await Add(cacheKey, value, timeout, false, cancellationToken).ConfigureAwait(false); }
        catch (CacheBackendException e) { return CacheError.Failed(key, e); }
    }

    private async Task<bool> Add<T>(CacheKey key, T value, CacheTimeout? timeout, bool lenient, CancellationToken cancellationToken)
    {
        var payload = Encode(value);
        var expiry = ExpiryOf(timeout);
        // Expired at once: report what an add would have done, store nothing.
        return expiry.IsSome
            ? await Add(key, payload, expiry.IfNone(Expiry.Never), lenient, cancellationToken).ConfigureAwait(false)
            : !await Contains(key, lenient, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public virtual async Task<bool> DeleteAsync(string key, int? version = null, CancellationToken cancellationToken = default) =>
        await Remove(Key(key, version), FailuresAreMisses, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public virtual async Task<Either<CacheError, bool>> TryDeleteAsync(string key, int? version = null, CancellationToken cancellationToken = default)
    {
        var cacheKey = Key(key, version);
        try { return await Remove(cacheKey, false, cancellationToken).ConfigureAwait(false); }
        catch (CacheBackendException e) { return CacheError.Failed(key, e); }
    }

    /// <inheritdoc/>
    public virtual async Task<bool> HasKeyAsync(string key, int? version = null, CancellationToken cancellationToken = default) =>
        await Contains(Key(key, version), FailuresAreMisses, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public virtual Task<bool> TouchAsync(string key, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default) =>
        Touch(Key(key, version), timeout, FailuresAreMisses, cancellationToken);

    /// <inheritdoc/>
    public virtual async Task<Either<CacheError, bool>> TryTouchAsync(string key, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default)
    {
        var cacheKey = Key(key, version);
        try { return await Touch(cacheKey, timeout, false, cancellationToken).ConfigureAwait(false); }
        catch (CacheBackendException e) { return CacheError.Failed(key, e); }
    }

    private async Task<bool> Touch(CacheKey key, CacheTimeout? timeout, bool lenient, CancellationToken cancellationToken)
    {
        var expiry = ExpiryOf(timeout);
        return expiry.IsSome
            ? await Touch(key, expiry.IfNone(Expiry.Never), lenient, cancellationToken).ConfigureAwait(false)
            : await Remove(key, lenient, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public virtual async Task ClearAsync(CancellationToken cancellationToken = default) =>
        await Clear(FailuresAreMisses, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public virtual async Task<Either<CacheError, Unit>> TryClearAsync(CancellationToken cancellationToken = default)
    {
        try { await Clear(false, cancellationToken).ConfigureAwait(false); return unit; }
        catch (CacheBackendException e) { return CacheError.Failed(CacheError.AllKeys, e); }
    }
}
