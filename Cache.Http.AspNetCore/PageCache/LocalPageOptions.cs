namespace FunctionalCache.Http.AspNetCore;

/// <summary>
/// The bounds of the local page cache: an in-process copy of the pages the page cache read from its backend, decoded
/// and ready to write, so that a hit on a remote or disk backend (<c>db://</c>, <c>memcached://</c>, <c>redis://</c>)
/// costs no backend read. Enabled by <c>services.AddLocalPageCache(…)</c>; see docs/page-cache-local.md.
/// </summary>
/// <remarks>
/// A local copy is served while it is younger than <see cref="Lifetime"/> and its page is fresh; a URL purge or a tag
/// eviction through <see cref="IPageCache"/> on this node drops the copies at once. A purge on another node reaches
/// this node's copies only when they reach <see cref="Lifetime"/>: the bound on how stale another node's purge leaves
/// a page here. Immutable and thread-safe.
/// </remarks>
public sealed record LocalPageOptions
{
    /// <summary>The defaults: copies live one second, at most 1,000 of them and 64 MiB in all.</summary>
    public static LocalPageOptions Default { get; } = new();

    /// <summary>How long a copy is served before the backend is read again (never past the page's own freshness).</summary>
    /// <value>One second: at hundreds of hits per second a page is read from the backend about once a second, and a
    /// purge on another node is seen here within a second.</value>
    public TimeSpan Lifetime { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The most copies kept (pages and the header lists of their URLs); the oldest go first.</summary>
    /// <value>1,000.</value>
    public int MaxEntries { get; init; } = 1000;

    /// <summary>The most bytes the copies hold (bodies, header fields and keys, estimated); the oldest go first.</summary>
    /// <value>64 MiB (the page cache's largest body by default).</value>
    public long MaxBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>A copy with another <see cref="Lifetime"/>.</summary>
    /// <exception cref="ArgumentException">The lifetime is not positive.</exception>
    public LocalPageOptions WithLifetime(TimeSpan lifetime)
    {
        Guard.That(lifetime > TimeSpan.Zero, nameof(lifetime), "The local page lifetime must be greater than 0.");
        return this with { Lifetime = lifetime };
    }

    /// <summary>A copy with another <see cref="MaxEntries"/>.</summary>
    /// <exception cref="ArgumentException">The count is not positive.</exception>
    public LocalPageOptions WithMaxEntries(int maxEntries)
    {
        Guard.That(maxEntries > 0, nameof(maxEntries), "The local page cache's maximum entries must be greater than 0.");
        return this with { MaxEntries = maxEntries };
    }

    /// <summary>A copy with another <see cref="MaxBytes"/>.</summary>
    /// <exception cref="ArgumentException">The size is not positive.</exception>
    public LocalPageOptions WithMaxBytes(long maxBytes)
    {
        Guard.That(maxBytes > 0, nameof(maxBytes), "The local page cache's maximum bytes must be greater than 0.");
        return this with { MaxBytes = maxBytes };
    }
}
