namespace FunctionalCache.Backends.Database;

/// <summary>What <see cref="DatabaseCacheTable.CreateAsync(DatabaseLocation, string, bool, CancellationToken)"/> found or did.</summary>
public enum CacheTableStatus
{
    /// <summary>The table and its index were created.</summary>
    Created,

    /// <summary>The table was there already; nothing was run (Django: "Cache table '…' already exists.").</summary>
    AlreadyExists,

    /// <summary>Dry run: the table is missing and <see cref="DatabaseCacheTable.CreateStatements"/> would create it; nothing was run.</summary>
    WouldCreate,
}
