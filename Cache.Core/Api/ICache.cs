using LanguageExt;

namespace FunctionalCache;

/// <summary>
/// Django's low-level cache API. A miss is <c>None</c>, a stored null (or F# unit or <c>None</c>) is a hit on
/// every read path, and the operations that can fail for a reason the caller must handle return <c>Either</c>.
/// </summary>
/// <remarks>
/// Every key is a caller's key: the backend applies <see cref="CachePolicy.KeyPrefix"/>, the version
/// (<c>version</c> arguments default to <see cref="CachePolicy.Version"/>) and the key
/// function, then checks <see cref="KeyRules"/> on the made key. An omitted <c>timeout</c> means
/// <see cref="CacheTimeout.Default"/>. Implementations are thread-safe.
/// </remarks>
public interface ICache
{
    /// <summary>The policy this cache applies.</summary>
    CachePolicy Policy { get; }

    /// <summary>The live value under <paramref name="key"/>, or None.</summary>
    /// <remarks>
    /// <c>OptionUnsafe</c> because a stored null is a hit: it comes back as <c>Some(null)</c>, never as a miss, so
    /// negative caching works. Read it with <c>IsSome</c>, <c>MatchUnsafe</c> or <c>IfNoneUnsafe</c>.
    /// </remarks>
    Task<OptionUnsafe<T>> GetAsync<T>(string key, int? version = null, CancellationToken cancellationToken = default);

    /// <summary>The live value under <paramref name="key"/>, or <paramref name="defaultValue"/> on a miss.</summary>
    Task<T> GetOrDefaultAsync<T>(string key, T defaultValue, int? version = null, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="value"/>, replacing any entry. A zero or negative timeout removes the key instead.</summary>
    Task SetAsync<T>(string key, T value, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="value"/> only if the key is absent or expired; true when it did (or would have, for a zero timeout).</summary>
    Task<bool> AddAsync<T>(string key, T value, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default);

    /// <summary>The live entries among <paramref name="keys"/>, keyed by the caller's keys; misses are left out and a stored null is kept.</summary>
    Task<IReadOnlyDictionary<string, T>> GetManyAsync<T>(IEnumerable<string> keys, int? version = null, CancellationToken cancellationToken = default);

    /// <summary>Stores every pair; returns the keys the backend refused (empty on success).</summary>
    Task<Seq<string>> SetManyAsync<T>(IEnumerable<KeyValuePair<string, T>> items, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default);

    /// <summary>Removes the key; true when a live entry was removed.</summary>
    Task<bool> DeleteAsync(string key, int? version = null, CancellationToken cancellationToken = default);

    /// <summary>Removes every key.</summary>
    Task DeleteManyAsync(IEnumerable<string> keys, int? version = null, CancellationToken cancellationToken = default);

    /// <summary>True when the key holds a live entry (a stored null counts).</summary>
    Task<bool> HasKeyAsync(string key, int? version = null, CancellationToken cancellationToken = default);

    /// <summary>Gives a live entry a new expiry; true when the key was live. A zero or negative timeout expires it.</summary>
    Task<bool> TouchAsync(string key, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default);

    /// <summary>Atomically adds <paramref name="delta"/> to a stored integer, keeping its expiry; the new value, or why not.</summary>
    Task<Either<CacheError, long>> IncrementAsync(string key, long delta = 1, int? version = null, CancellationToken cancellationToken = default);

    /// <summary>Atomically subtracts <paramref name="delta"/> from a stored integer (see <see cref="IncrementAsync"/>).</summary>
    Task<Either<CacheError, long>> DecrementAsync(string key, long delta = 1, int? version = null, CancellationToken cancellationToken = default);

    /// <summary>Moves the entry from its version to version + <paramref name="delta"/> (with the default timeout); the new version, or why not.</summary>
    Task<Either<CacheError, int>> IncrementVersionAsync(string key, int delta = 1, int? version = null, CancellationToken cancellationToken = default);

    /// <summary>Moves the entry from its version to version − <paramref name="delta"/> (see <see cref="IncrementVersionAsync"/>).</summary>
    Task<Either<CacheError, int>> DecrementVersionAsync(string key, int delta = 1, int? version = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The live value under <paramref name="key"/>, or else the factory's value, which is added and returned
    /// (a concurrent writer's value wins). Concurrent callers for one key in one process run the factory once;
    /// a stored null is a hit, so a factory that returns null runs once and the null is served after it.
    /// </summary>
    Task<T> GetOrSetAsync<T>(string key, Func<CancellationToken, Task<T>> factory, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default);

    /// <summary>Removes everything in this backend's storage, not only this policy's prefix (as Django does).</summary>
    Task ClearAsync(CancellationToken cancellationToken = default);

    // ---- the same operations, with a backend failure as a value ----------------------------------------------
    // A backend may answer a failure leniently (memcached, as in Django: a miss, false, a write that silently did
    // not happen). These variants never do: Left(BackendFailure) means the backend could not do it. Each default
    // body suits a backend that throws CacheBackendException on failure; a lenient backend overrides them.

    /// <summary>As <see cref="GetAsync{T}"/>, but a backend failure is <c>Left(BackendFailure)</c>, never a miss.</summary>
    async Task<Either<CacheError, OptionUnsafe<T>>> TryGetAsync<T>(string key, int? version = null, CancellationToken cancellationToken = default)
    {
        try { return await GetAsync<T>(key, version, cancellationToken).ConfigureAwait(false); }
        catch (CacheBackendException e) { return CacheError.Failed(key, e); }
    }

    /// <summary>As <see cref="SetAsync{T}"/>, but <c>Right(unit)</c> only when the backend stored the value (or removed the key, for a zero timeout).</summary>
    async Task<Either<CacheError, Unit>> TrySetAsync<T>(string key, T value, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default)
    {
        try { await SetAsync(key, value, timeout, version, cancellationToken).ConfigureAwait(false); return Unit.Default; }
        catch (CacheBackendException e) { return CacheError.Failed(key, e); }
    }

    /// <summary>As <see cref="AddAsync{T}"/>, but a backend failure is <c>Left(BackendFailure)</c>, never false.</summary>
    async Task<Either<CacheError, bool>> TryAddAsync<T>(string key, T value, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default)
    {
        try { return await AddAsync(key, value, timeout, version, cancellationToken).ConfigureAwait(false); }
        catch (CacheBackendException e) { return CacheError.Failed(key, e); }
    }

    /// <summary>As <see cref="DeleteAsync"/>, but a backend failure is <c>Left(BackendFailure)</c>, never false.</summary>
    async Task<Either<CacheError, bool>> TryDeleteAsync(string key, int? version = null, CancellationToken cancellationToken = default)
    {
        try { return await DeleteAsync(key, version, cancellationToken).ConfigureAwait(false); }
        catch (CacheBackendException e) { return CacheError.Failed(key, e); }
    }

    /// <summary>As <see cref="TouchAsync"/>, but a backend failure is <c>Left(BackendFailure)</c>, never false.</summary>
    async Task<Either<CacheError, bool>> TryTouchAsync(string key, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default)
    {
        try { return await TouchAsync(key, timeout, version, cancellationToken).ConfigureAwait(false); }
        catch (CacheBackendException e) { return CacheError.Failed(key, e); }
    }

    /// <summary>As <see cref="ClearAsync"/>, but <c>Right(unit)</c> only when every part of the storage was emptied.</summary>
    async Task<Either<CacheError, Unit>> TryClearAsync(CancellationToken cancellationToken = default)
    {
        try { await ClearAsync(cancellationToken).ConfigureAwait(false); return Unit.Default; }
        catch (CacheBackendException e) { return CacheError.Failed(CacheError.AllKeys, e); }
    }
}
