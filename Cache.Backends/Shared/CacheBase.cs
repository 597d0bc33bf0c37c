using System.Collections.Concurrent;
using LanguageExt;
using Microsoft.Extensions.Logging;

namespace FunctionalCache.Backends;

/// <summary>
/// The shared base of every backend: a backend implements a handful of primitives over made keys
/// and opaque payloads, and this class derives the whole <see cref="ICache"/> from them — key
/// making and checking, timeout resolution, many-key operations, versions and single-flight
/// get-or-set. A backend overrides a derived operation only to batch it or make it atomic.
/// </summary>
/// <remarks>
/// Django's <c>BaseCache</c>. A payload is what <see cref="Encode{T}"/> made: serialized bytes by
/// default, <see cref="StoredNull.Instance"/> for a null. Thread-safe as long as the primitives are.
/// </remarks>
public abstract partial class CacheBase : ICache
{
    /// <summary>The running get-or-set factories of this process, by store and made key (see <see cref="StoreIdentity"/>).</summary>
    private protected static readonly ConcurrentDictionary<(object Store, string MadeKey), Task<object?>> Flights = new();
    private readonly KeyCheck _keyCheck;
    private readonly bool _defaultKeys;
    private readonly bool _coarseClock;

    /// <summary>Creates the base for a backend with <paramref name="policy"/> in <paramref name="context"/>.</summary>
    protected CacheBase(CachePolicy policy, CacheContext context, KeyCheck keyCheck)
    {
        Policy = Guard.NotNull(policy, nameof(policy));
        Context = Guard.NotNull(context, nameof(context));
        _keyCheck = keyCheck;
        _defaultKeys = CacheKeys.IsDefault(policy.KeyFunction);
        _coarseClock = context.Time is CoarseClock;
    }

    /// <inheritdoc/>
    public CachePolicy Policy { get; }

    /// <summary>The backend's name in metrics and logs: its URI scheme for the built-in backends.</summary>
    /// <value>The type name, unless the backend names itself.</value>
    public virtual string BackendName => GetType().Name;

    /// <summary>
    /// What names the store this cache reads and writes, so that get-or-set callers of every cache on one store in
    /// this process share one flight: equal identities mean one store.
    /// </summary>
    /// <value>This instance (a store of its own, as locmem's); a backend whose instances can share a store names it.</value>
    internal virtual object StoreIdentity => this;

    /// <summary>The clock, logger and serializer this backend uses.</summary>
    protected CacheContext Context { get; }

    /// <summary>Now, by the context's clock.</summary>
    protected DateTimeOffset Now => Context.Time.GetUtcNow();

    /// <summary>Now in UTC ticks, by the context's clock: one memory load with the default <see cref="CoarseClock"/>.</summary>
    protected long NowTicks => _coarseClock ? CoarseClock.UtcTicks : Context.Time.GetUtcNow().UtcTicks;

    // ---- primitives ------------------------------------------------------------------------

    /// <summary>The payload of the live entry, or None (an expired entry may be removed on the way).</summary>
    protected abstract ValueTask<Option<object>> ReadCore(CacheKey key, CancellationToken cancellationToken);

    /// <summary>Stores the payload unconditionally.</summary>
    protected abstract ValueTask WriteCore(CacheKey key, object payload, Expiry expiry, CancellationToken cancellationToken);

    /// <summary>Stores the payload only if the key is absent or expired; true when it did.</summary>
    protected abstract ValueTask<bool> AddCore(CacheKey key, object payload, Expiry expiry, CancellationToken cancellationToken);

    /// <summary>Gives a live entry a new expiry; true when the key was live.</summary>
    protected abstract ValueTask<bool> TouchCore(CacheKey key, Expiry expiry, CancellationToken cancellationToken);

    /// <summary>Removes the key; true when a live entry was removed.</summary>
    protected abstract ValueTask<bool> RemoveCore(CacheKey key, CancellationToken cancellationToken);

    /// <summary>True when the key holds a live entry.</summary>
    protected abstract ValueTask<bool> ContainsCore(CacheKey key, CancellationToken cancellationToken);

    /// <summary>Atomically adds <paramref name="delta"/> to a stored integer and keeps its expiry.</summary>
    protected abstract ValueTask<Either<CacheError, long>> IncrementCore(CacheKey key, long delta, CancellationToken cancellationToken);

    /// <summary>Removes everything in the backend's storage.</summary>
    protected abstract ValueTask ClearCore(CancellationToken cancellationToken);

    /// <summary>The payloads of many keys, in order; one round trip where the backend can. Default: one read each.</summary>
    protected virtual async ValueTask<Option<object>[]> ReadManyCore(IReadOnlyList<CacheKey> keys, CancellationToken cancellationToken)
    {
        var found = new Option<object>[keys.Count];
        for (var i = 0; i < keys.Count; i++) found[i] = await ReadCore(keys[i], cancellationToken).ConfigureAwait(false);
        return found;
    }

    /// <summary>Stores many payloads; returns the keys the backend refused. Default: one write each.</summary>
    protected virtual async ValueTask<Seq<CacheKey>> WriteManyCore(IReadOnlyList<(CacheKey Key, object Payload)> items, Expiry expiry, CancellationToken cancellationToken)
    {
        foreach (var (key, payload) in items) await WriteCore(key, payload, expiry, cancellationToken).ConfigureAwait(false);
        return Seq<CacheKey>.Empty;
    }

    /// <summary>Removes many keys. Default: one removal each.</summary>
    protected virtual async ValueTask RemoveManyCore(IReadOnlyList<CacheKey> keys, CancellationToken cancellationToken)
    {
        foreach (var key in keys) await RemoveCore(key, cancellationToken).ConfigureAwait(false);
    }

    // ---- payloads --------------------------------------------------------------------------

    /// <summary>The payload stored for <paramref name="value"/>: serialized bytes, or <see cref="StoredNull.Instance"/>.</summary>
    protected virtual object Encode<T>(T value) => value is null ? StoredNull.Instance : Context.Serializer.Serialize(value);

    /// <summary>The value in a payload made by <see cref="Encode{T}"/>.</summary>
    protected virtual T Decode<T>(object payload) =>
        payload is byte[] bytes ? Context.Serializer.Deserialize<T>(bytes) : default!;

    // ---- keys and timeouts -----------------------------------------------------------------

    /// <summary>The key at the asked or the policy's version, checked against <see cref="KeyRules"/>.</summary>
    /// <exception cref="InvalidCacheKeyException">The made key breaks a rule and this backend rejects such keys.</exception>
    protected CacheKey Key(string key, int? version) => Key(key, version, out _);

    /// <summary>
    /// The key at the asked or the policy's version, checked against <see cref="KeyRules"/>, and whether the made key
    /// keeps every rule (false only for a backend that warns).
    /// </summary>
    /// <exception cref="InvalidCacheKeyException">The made key breaks a rule and this backend rejects such keys.</exception>
    private protected CacheKey Key(string key, int? version, out bool keyIsValid)
    {
        Guard.NotNull(key, nameof(key));
        var cacheKey = new CacheKey(key, version ?? Policy.Version);
        // The default key function is checked without building the made key: a good key costs nothing.
        keyIsValid = (_defaultKeys && KeyRules.IsValid(Policy.KeyPrefix, cacheKey.Version, key)) || Check(Policy.MakeKey(cacheKey));
        return cacheKey;
    }

    /// <summary>True when the made key keeps every rule; otherwise warns or throws, by the backend's <see cref="KeyCheck"/>.</summary>
    private bool Check(string madeKey)
    {
        var problems = KeyRules.Validate(madeKey);
        if (problems.IsEmpty) return true;
        if (_keyCheck == KeyCheck.Reject) throw new InvalidCacheKeyException(madeKey, string.Join(Environment.NewLine, problems));
        foreach (var problem in problems) Context.Logger.LogWarning("{CacheKeyWarning}", problem);
        return false;
    }

    /// <summary>The expiry for a write now; None when the timeout means "expired now".</summary>
    protected Option<Expiry> ExpiryOf(CacheTimeout? timeout) =>
        Expiry.From(timeout ?? CacheTimeout.Default, Policy.DefaultTimeout, Now);
}
