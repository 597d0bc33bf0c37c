namespace FunctionalCache.Backends.Memcached;

/// <summary>What the server did with a store request.</summary>
internal enum MemcachedStoreResult
{
    /// <summary>Stored (<c>HD</c>).</summary>
    Stored,

    /// <summary>Not stored because the mode's condition failed (<c>NS</c>).</summary>
    NotStored,

    /// <summary>The CAS token did not match: someone changed the item (<c>EX</c>).</summary>
    Exists,

    /// <summary>A CAS store found no item (<c>NF</c>).</summary>
    NotFound,

    /// <summary>The value is over the server's item size limit; the server dropped any old item under the key.</summary>
    TooLarge,

    /// <summary>The server was down or failed; nothing is known to be stored.</summary>
    Failed,
}
