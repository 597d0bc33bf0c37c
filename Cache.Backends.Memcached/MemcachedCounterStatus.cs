namespace FunctionalCache.Backends.Memcached;

/// <summary>How a meta arithmetic (<c>ma</c>) request ended.</summary>
internal enum MemcachedCounterStatus
{
    /// <summary>The counter changed; the result holds its new value.</summary>
    Done,

    /// <summary>No item under the key (<c>NF</c>).</summary>
    NotFound,

    /// <summary>The item is not an unsigned decimal number (memcached's <c>CLIENT_ERROR</c>).</summary>
    NonNumeric,

    /// <summary>The server was down or failed; the counter may or may not have changed.</summary>
    Failed,
}
