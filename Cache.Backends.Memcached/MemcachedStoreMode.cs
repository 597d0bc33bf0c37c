namespace FunctionalCache.Backends.Memcached;

/// <summary>How <c>ms</c> stores an item (the meta protocol's <c>M</c> flag).</summary>
internal enum MemcachedStoreMode
{
    /// <summary>Store unconditionally (<c>MS</c>).</summary>
    Set,

    /// <summary>Store only if the key holds no live item (<c>ME</c>).</summary>
    Add,

    /// <summary>Store only if the key holds a live item (<c>MR</c>).</summary>
    Replace,
}
