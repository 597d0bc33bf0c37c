using System.Text;
using LanguageExt;

namespace FunctionalCache.Backends.Redis;

/// <summary>
/// How a <see cref="RedisCache"/> reaches Redis: the servers, the database, TLS, Redis Cluster, the credentials, the
/// timeouts, whether failures throw and what <c>Clear</c> removes.
/// </summary>
/// <remarks>
/// Immutable: the <c>With…</c> methods return changed copies. The password is never shown: <see cref="ToString"/>
/// says only whether one is set, so options can be logged.
/// </remarks>
public sealed record RedisOptions
{
    private RedisOptions(Seq<RedisEndpoint> endpoints) => Endpoints = endpoints;

    /// <summary>Options for <paramref name="endpoints"/> with every other setting at its default.</summary>
    /// <exception cref="ArgumentException">No endpoint is given.</exception>
    public static RedisOptions For(IEnumerable<RedisEndpoint> endpoints)
    {
        var list = Guard.NotNull(endpoints, nameof(endpoints)).ToSeq().Strict();
        Guard.That(!list.IsEmpty, nameof(endpoints), "Redis options need at least one server.");
        return new RedisOptions(list);
    }

    /// <summary>
    /// Options for servers written as a <c>redis://</c> location: <c>h1:6379;h2:6380</c> (<c>,</c> also separates), each
    /// part <c>[user[:password]@]host[:port][/db]</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The location holds no server, a malformed one, or parts naming different databases or users.</exception>
    public static RedisOptions Parse(string location)
    {
        var parts = Guard.NotNull(location, nameof(location)).Split(';', ',').Select(s => s.Trim()).Where(s => s.Length > 0).ToSeq();
        return RedisBackend.OptionsFor(parts).Match(
            options => options,
            problems => throw new ArgumentException(string.Join(" ", problems.Map(p => p.Message)), nameof(location)));
    }

    /// <summary>
    /// The servers, in the order given. Without <see cref="Cluster"/>, the first is the primary that takes the writes and
    /// the others are its replicas, which serve the reads (Django 4.0's <c>RedisCache</c>); with it, they are seeds from
    /// which the cluster's nodes are discovered.
    /// </summary>
    public Seq<RedisEndpoint> Endpoints { get; }

    /// <summary>True when reads go to replicas: several servers, not a cluster.</summary>
    public bool ReadsFromReplicas => Endpoints.Count > 1 && !Cluster;

    /// <summary>The database number (<c>SELECT</c>).</summary>
    /// <value>0 (the only one Redis Cluster has).</value>
    public int Database { get; private init; }

    /// <summary>True for TLS connections (<c>rediss://</c>).</summary>
    /// <value>false.</value>
    public bool UseTls { get; private init; }

    /// <summary>True when the servers are Redis Cluster nodes (URI: <c>cluster=true</c>); a cluster is also detected when connected.</summary>
    /// <value>false.</value>
    public bool Cluster { get; private init; }

    /// <summary>The user name (Redis 6 ACL), if any.</summary>
    /// <value>None: the <c>default</c> user.</value>
    public Option<string> User { get; private init; }

    /// <summary>The password: never public, never printed.</summary>
    internal string? Password { get; private init; }

    /// <summary>True when a password is set (the password itself is not readable).</summary>
    public bool HasPassword => Password is not null;

    /// <summary>How long connecting may take before a server counts as down.</summary>
    /// <value>1 second.</value>
    public TimeSpan ConnectTimeout { get; private init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the client waits for a server's answer to a command.</summary>
    /// <value>1 second.</value>
    public TimeSpan SyncTimeout { get; private init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// When true, a server fault throws <see cref="CacheBackendException"/> to the caller; when false (the default),
    /// reads are misses and writes report failure.
    /// </summary>
    /// <value>false.</value>
    public bool ThrowOnFailure { get; private init; }

    /// <summary>
    /// When true, <c>Clear</c> is Django's <c>FLUSHDB</c> on every primary: the whole database, every application's keys.
    /// When false (the default), it removes only the keys under this cache's key prefix.
    /// </summary>
    /// <value>false.</value>
    public bool FlushDatabaseOnClear { get; private init; }

    /// <summary>A copy on another database.</summary>
    /// <exception cref="ArgumentException"><paramref name="database"/> is negative.</exception>
    public RedisOptions WithDatabase(int database)
    {
        Guard.That(database >= 0, nameof(database), "A Redis database number must not be negative.");
        return this with { Database = database };
    }

    /// <summary>A copy with TLS on (true) or off (false).</summary>
    public RedisOptions WithTls(bool useTls) => this with { UseTls = useTls };

    /// <summary>A copy that treats the servers as Redis Cluster nodes (true) or as a primary and its replicas (false).</summary>
    public RedisOptions WithCluster(bool cluster) => this with { Cluster = cluster };

    /// <summary>A copy that authenticates with <paramref name="password"/>, as <paramref name="user"/> when one is given.</summary>
    /// <exception cref="ArgumentException">The password is null.</exception>
    public RedisOptions WithCredentials(string? user, string password) =>
        this with { User = string.IsNullOrEmpty(user) ? Option<string>.None : user, Password = Guard.NotNull(password, nameof(password)) };

    /// <summary>A copy with another connect timeout.</summary>
    /// <exception cref="ArgumentException">The span is not positive.</exception>
    public RedisOptions WithConnectTimeout(TimeSpan timeout) => this with { ConnectTimeout = Positive(timeout, nameof(timeout)) };

    /// <summary>A copy with another command timeout.</summary>
    /// <exception cref="ArgumentException">The span is not positive.</exception>
    public RedisOptions WithSyncTimeout(TimeSpan timeout) => this with { SyncTimeout = Positive(timeout, nameof(timeout)) };

    /// <summary>A copy that throws on server faults (true) or absorbs them (false).</summary>
    public RedisOptions WithThrowOnFailure(bool throwOnFailure) => this with { ThrowOnFailure = throwOnFailure };

    /// <summary>A copy whose <c>Clear</c> flushes the whole database (true, Django's behaviour) or only this cache's prefix (false).</summary>
    public RedisOptions WithFlushDatabaseOnClear(bool flush) => this with { FlushDatabaseOnClear = flush };

    /// <summary>The options without the password: the servers, the database and each setting.</summary>
    public override string ToString()
    {
        var b = new StringBuilder("RedisOptions { Endpoints = ").AppendJoin(";", Endpoints)
            .Append(", Database = ").Append(Database)
            .Append(", UseTls = ").Append(UseTls)
            .Append(", Cluster = ").Append(Cluster)
            .Append(", User = ").Append(User.IfNone("(default)"))
            .Append(", Password = ").Append(HasPassword ? "(set)" : "(none)")
            .Append(", ConnectTimeout = ").Append(ConnectTimeout)
            .Append(", SyncTimeout = ").Append(SyncTimeout)
            .Append(", ThrowOnFailure = ").Append(ThrowOnFailure)
            .Append(", FlushDatabaseOnClear = ").Append(FlushDatabaseOnClear)
            .Append(" }");
        return b.ToString();
    }

    private static TimeSpan Positive(TimeSpan span, string parameter)
    {
        Guard.That(span > TimeSpan.Zero && span.TotalMilliseconds <= int.MaxValue, parameter, "A Redis timeout must be positive and under 24 days.");
        return span;
    }
}
