using LanguageExt;

namespace FunctionalCache.Backends.Memcached;

/// <summary>
/// How <see cref="MemcachedClient"/> reaches its servers: the server list, connection pool size,
/// timeouts, the dead-server back-off, whether failures throw and whether a revived server is flushed.
/// </summary>
/// <remarks>Immutable: the <c>With…</c> methods return changed copies.</remarks>
public sealed record MemcachedOptions
{
    private MemcachedOptions(Seq<MemcachedServer> servers) => Servers = servers;

    /// <summary>Options for <paramref name="servers"/> with every other setting at its default.</summary>
    /// <exception cref="ArgumentException">No server is given.</exception>
    public static MemcachedOptions For(IEnumerable<MemcachedServer> servers)
    {
        var list = Guard.NotNull(servers, nameof(servers)).ToSeq().Strict();
        Guard.That(!list.IsEmpty, nameof(servers), "Memcached options need at least one server.");
        return new MemcachedOptions(list);
    }

    /// <summary>Options for servers written as a location (<c>h1:11211;h2:11212</c>, <c>,</c> also separates).</summary>
    /// <exception cref="ArgumentException">The location holds no server or a malformed one.</exception>
    public static MemcachedOptions Parse(string location) =>
        For(Guard.NotNull(location, nameof(location)).Split(';', ',').Select(s => s.Trim()).Where(s => s.Length > 0).Select(MemcachedServer.Parse).ToList());

    /// <summary>The servers, in the order given; keys are spread over them by ketama hashing.</summary>
    public Seq<MemcachedServer> Servers { get; }

    /// <summary>The most connections open to one server at once.</summary>
    /// <value>8.</value>
    public int PoolSize { get; private init; } = 8;

    /// <summary>How long a connection attempt may take before the server counts as down.</summary>
    /// <value>1 second.</value>
    public TimeSpan ConnectTimeout { get; private init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the client waits for a server's answer.</summary>
    /// <value>1 second.</value>
    public TimeSpan ReadTimeout { get; private init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long sending a request may take.</summary>
    /// <value>1 second.</value>
    public TimeSpan WriteTimeout { get; private init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a server that refused a connection or timed out is skipped before it is tried again.</summary>
    /// <value>5 seconds (pylibmc's <c>retry_timeout</c> idea).</value>
    public TimeSpan DeadServerBackOff { get; private init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// When true, a server fault throws <see cref="CacheBackendException"/> to the caller; when false
    /// (the default), reads of a dead server are misses and writes report failure.
    /// </summary>
    /// <value>false.</value>
    public bool ThrowOnFailure { get; private init; }

    /// <summary>
    /// When true, a server that comes back after its back-off is sent <c>flush_all</c> before it serves anything,
    /// if any write, delete, touch or counter meant for it was dropped or failed while it was dead.
    /// </summary>
    /// <value>true.</value>
    /// <remarks>
    /// A deliberate difference from Django's clients (pylibmc, pymemcache), which let the server serve what it held
    /// before: a write dropped during the back-off, or one that timed out and may never have arrived, would leave
    /// the older value readable after it. The price is the server's whole content (every user of it, not only this
    /// cache's keys). With false, a revived server keeps its entries and may serve values older than writes that
    /// returned normally. A server started with <c>-F</c> (flush_all disabled) needs false: otherwise it is marked
    /// dead again after every back-off.
    /// </remarks>
    public bool FlushOnRevival { get; private init; } = true;

    /// <summary>A copy with another pool size.</summary>
    /// <exception cref="ArgumentException"><paramref name="size"/> is below 1.</exception>
    public MemcachedOptions WithPoolSize(int size)
    {
        Guard.That(size >= 1, nameof(size), "The memcached pool size must be at least 1.");
        return this with { PoolSize = size };
    }

    /// <summary>A copy with another connect timeout.</summary>
    /// <exception cref="ArgumentException">The span is not positive.</exception>
    public MemcachedOptions WithConnectTimeout(TimeSpan timeout) => this with { ConnectTimeout = Positive(timeout, nameof(timeout)) };

    /// <summary>A copy with another read timeout.</summary>
    /// <exception cref="ArgumentException">The span is not positive.</exception>
    public MemcachedOptions WithReadTimeout(TimeSpan timeout) => this with { ReadTimeout = Positive(timeout, nameof(timeout)) };

    /// <summary>A copy with another write timeout.</summary>
    /// <exception cref="ArgumentException">The span is not positive.</exception>
    public MemcachedOptions WithWriteTimeout(TimeSpan timeout) => this with { WriteTimeout = Positive(timeout, nameof(timeout)) };

    /// <summary>A copy with another dead-server back-off.</summary>
    /// <exception cref="ArgumentException">The span is negative.</exception>
    public MemcachedOptions WithDeadServerBackOff(TimeSpan backOff)
    {
        Guard.That(backOff >= TimeSpan.Zero, nameof(backOff), "The dead-server back-off must not be negative.");
        return this with { DeadServerBackOff = backOff };
    }

    /// <summary>A copy that throws on server faults (true) or absorbs them (false).</summary>
    public MemcachedOptions WithThrowOnFailure(bool throwOnFailure) => this with { ThrowOnFailure = throwOnFailure };

    /// <summary>A copy that flushes a revived server that missed writes (true) or lets it serve what it held (false).</summary>
    public MemcachedOptions WithFlushOnRevival(bool flushOnRevival) => this with { FlushOnRevival = flushOnRevival };

    private static TimeSpan Positive(TimeSpan span, string parameter)
    {
        Guard.That(span > TimeSpan.Zero && span.TotalMilliseconds <= int.MaxValue, parameter, "A memcached timeout must be positive and under 24 days.");
        return span;
    }
}
