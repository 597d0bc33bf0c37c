namespace FunctionalCache.Backends;

/// <summary>What a backend does with a made key that breaks <see cref="KeyRules"/>.</summary>
public enum KeyCheck
{
    /// <summary>Log a warning and go on (every backend but memcached; Django's CacheKeyWarning).</summary>
    Warn,

    /// <summary>Throw <see cref="InvalidCacheKeyException"/> (memcached; Django's InvalidCacheKey).</summary>
    Reject,
}
