namespace FunctionalCache;

/// <summary>
/// The settings a cache applies to every call: default timeout, size limit, culling, key prefix,
/// version and key function. An immutable value: <c>With…</c> methods return a changed copy.
/// </summary>
/// <remarks>Django's <c>TIMEOUT</c>, <c>OPTIONS.MAX_ENTRIES</c>, <c>OPTIONS.CULL_FREQUENCY</c>, <c>KEY_PREFIX</c>, <c>VERSION</c>, <c>KEY_FUNCTION</c>.</remarks>
public sealed record CachePolicy
{
    /// <summary>Django's defaults: 300 s, 300 entries, cull a third, no prefix, version 1, <c>prefix:version:key</c>.</summary>
    public static CachePolicy Default { get; } = new(CacheTimeout.After(TimeSpan.FromSeconds(300)), 300, 3, "", 1, CacheKeys.DefaultKeyFunction);

    /// <summary>Creates a policy; every argument is checked.</summary>
    /// <exception cref="ArgumentException">A value breaks its rule (see each property).</exception>
    public CachePolicy(CacheTimeout defaultTimeout, int maxEntries, int cullFrequency, string keyPrefix, int version, Func<string, string, int, string> keyFunction)
    {
        Guard.NotNull(defaultTimeout, nameof(defaultTimeout));
        Guard.That(!defaultTimeout.IsDefault, nameof(defaultTimeout), "DefaultTimeout must be Never or After(span), not Default.");
        Guard.That(maxEntries >= 1, nameof(maxEntries), "MaxEntries must be at least 1.");
        Guard.That(cullFrequency >= 0, nameof(cullFrequency), "CullFrequency must be 0 (empty the cache when full) or greater.");
        DefaultTimeout = defaultTimeout;
        MaxEntries = maxEntries;
        CullFrequency = cullFrequency;
        KeyPrefix = Guard.NotNull(keyPrefix, nameof(keyPrefix));
        Version = version;
        KeyFunction = Guard.NotNull(keyFunction, nameof(keyFunction));
    }

    /// <summary>The timeout that <see cref="CacheTimeout.Default"/> stands for.</summary>
    /// <value>300 seconds.</value>
    public CacheTimeout DefaultTimeout { get; }

    /// <summary>The most entries a size-bounded backend holds after any write.</summary>
    /// <value>300.</value>
    public int MaxEntries { get; }

    /// <summary>When full, remove <c>count / CullFrequency</c> entries (at least one); 0 empties the cache.</summary>
    /// <value>3.</value>
    public int CullFrequency { get; }

    /// <summary>Put in front of every key, so several sites can share one store.</summary>
    /// <value>The empty string.</value>
    public string KeyPrefix { get; }

    /// <summary>The version used when a call names none.</summary>
    /// <value>1.</value>
    public int Version { get; }

    /// <summary>Makes the stored key from the caller's key, the prefix and a version.</summary>
    /// <value><see cref="CacheKeys.DefaultKeyFunction"/>.</value>
    public Func<string, string, int, string> KeyFunction { get; }

    /// <summary>A copy with another default timeout.</summary>
    public CachePolicy WithDefaultTimeout(CacheTimeout timeout) => new(timeout, MaxEntries, CullFrequency, KeyPrefix, Version, KeyFunction);

    /// <summary>A copy with another size limit.</summary>
    public CachePolicy WithMaxEntries(int maxEntries) => new(DefaultTimeout, maxEntries, CullFrequency, KeyPrefix, Version, KeyFunction);

    /// <summary>A copy with another cull frequency.</summary>
    public CachePolicy WithCullFrequency(int cullFrequency) => new(DefaultTimeout, MaxEntries, cullFrequency, KeyPrefix, Version, KeyFunction);

    /// <summary>A copy with another key prefix.</summary>
    public CachePolicy WithKeyPrefix(string keyPrefix) => new(DefaultTimeout, MaxEntries, CullFrequency, keyPrefix, Version, KeyFunction);

    /// <summary>A copy with another default version.</summary>
    public CachePolicy WithVersion(int version) => new(DefaultTimeout, MaxEntries, CullFrequency, KeyPrefix, version, KeyFunction);

    /// <summary>A copy with another key function.</summary>
    public CachePolicy WithKeyFunction(Func<string, string, int, string> keyFunction) => new(DefaultTimeout, MaxEntries, CullFrequency, KeyPrefix, Version, keyFunction);

    /// <summary>The stored key for <paramref name="key"/>.</summary>
    public string MakeKey(CacheKey key) => KeyFunction(key.Key, KeyPrefix, key.Version);

    /// <summary>The stored key for <paramref name="key"/> at <paramref name="version"/> (the policy's version when omitted).</summary>
    public string MakeKey(string key, int? version = null) => KeyFunction(key, KeyPrefix, version ?? Version);

    /// <summary>
    /// How many entries one cull removes from a full store of <paramref name="count"/> entries:
    /// all of them when <see cref="CullFrequency"/> is 0, otherwise <c>count / CullFrequency</c> but at least one.
    /// </summary>
    /// <remarks>Django's rule, with the "at least one" that keeps the count within <see cref="MaxEntries"/>.</remarks>
    public int CullCount(int count) => CullFrequency == 0 ? count : Math.Min(count, Math.Max(1, count / CullFrequency));
}
