using System.Text;
using LanguageExt;
using StackExchange.Redis;

namespace FunctionalCache.Backends.Redis;

/// <summary>
/// The Redis cache (<c>redis://host:6379/0</c>): one Redis server, a primary with replicas, or a Redis Cluster,
/// reached through one StackExchange.Redis <see cref="ConnectionMultiplexer"/> per cache.
/// </summary>
/// <remarks>
/// <para>
/// Django's <c>RedisCache</c> (4.0). Every operation is one of Redis's own atomic commands: <c>Set</c> is
/// <c>SET … PX</c>, <c>Add</c> is <c>SET … NX PX</c>, <c>Touch</c> is <c>PEXPIRE</c> (<c>PERSIST</c> for
/// <see cref="CacheTimeout.Never"/>), <c>HasKey</c> is <c>EXISTS</c>, <c>Delete</c> is <c>DEL</c>,
/// <c>Increment</c>/<c>Decrement</c> are <c>INCRBY</c> on a key that exists, <c>GetMany</c> is <c>MGET</c> (one per
/// hash slot on a cluster), <c>SetMany</c> is pipelined <c>SET</c>s and <c>DeleteMany</c> is <c>UNLINK</c>. Caches and
/// processes pointed at the same servers and database share one store.
/// </para>
/// <para>
/// <b>Keys</b> are the made keys (<c>prefix:version:key</c>) as Redis keys; Redis takes any key, so a key that breaks
/// <see cref="KeyRules"/> only logs Django's warning. <b>Values</b> are the serializer's bytes as they are: an integer is
/// its ASCII digits, so <c>INCRBY</c> counts it and keeps its expiry; a stored null is a hit distinct from a miss (see
/// <see cref="RedisPayload"/>). <b>Timeouts</b> are sent in milliseconds, rounded up, and expire on the server's clock.
/// </para>
/// <para>
/// <b>Counters</b> are signed 64-bit: a change past <see cref="long"/>'s range is <see cref="CacheError.Overflow"/> and
/// leaves the value as it was, a value that is not an integer is <see cref="CacheError.NotAnInteger"/>, a missing key
/// <see cref="CacheError.KeyNotFound"/>. A decimal with leading zeros (<c>007</c>), which Redis refuses to count and the
/// other backends count, is changed by a compare-and-swap script instead.
/// </para>
/// <para>
/// <b>Clear</b> removes only the keys that begin with this cache's key prefix and <c>:</c> (<c>SCAN</c> and <c>UNLINK</c>
/// in batches of <see cref="ClearBatchSize"/>, on every primary of a cluster): a deliberate difference from Django's
/// <c>FLUSHDB</c>, which wipes every application's keys in the database. <see cref="RedisOptions.FlushDatabaseOnClear"/>
/// (URI: <c>flush_db=true</c>) restores Django's behaviour. A custom key function whose keys do not begin with the
/// prefix and <c>:</c> leaves its keys out of a clear.
/// </para>
/// <para>
/// <b>Replicas.</b> With several servers (not a cluster), writes go to the primary and reads (<c>Get</c>,
/// <c>GetMany</c>, <c>HasKey</c>) prefer a replica: a read just after a write may miss it, or see the value before it,
/// for as long as replication lags (usually under a millisecond on one network).
/// </para>
/// <para>
/// <b>Faults.</b> While no server answers, reads are misses, <c>Set</c> logs a warning, <c>Add</c>/<c>Delete</c>/<c>Touch</c>
/// return false, <c>SetMany</c> lists the keys and counters return <see cref="CacheError.BackendFailure"/>; nothing throws
/// unless <see cref="RedisOptions.ThrowOnFailure"/> is set. Each failure is logged and raised as
/// <see cref="CacheBase.FailureAnswered"/>; the <c>Try…</c> operations answer it as <c>Left(BackendFailure)</c>. A server
/// that does not answer costs each command up to <see cref="RedisOptions.SyncTimeout"/>; a refused connection fails at
/// once. The client reconnects by itself, every <see cref="RedisOptions.ConnectTimeout"/>.
/// </para>
/// <para>Thread-safe. Dispose closes the connection.</para>
/// </remarks>
public sealed partial class RedisCache : CacheBase, IDisposable
{
    /// <summary>How many keys one <c>SCAN</c> page asks for and one <c>UNLINK</c> removes when clearing.</summary>
    public const int ClearBatchSize = 500;

    private readonly RedisConnection _connection;
    private readonly CommandFlags _readFlags;

    // With the default key function, the made key at the policy's version is these bytes (UTF-8 of "prefix:version:")
    // followed by the caller's key: the client writes the two parts back to back, so no made key string is built per
    // call. Null with a custom key function, whose made key is the function's string.
    private readonly byte[]? _madeKeyPrefix;

    /// <summary>A cache over the servers in <paramref name="options"/>; connecting starts at once, in the background.</summary>
    public RedisCache(RedisOptions options, CachePolicy policy, CacheContext context)
        : base(policy, context, KeyCheck.Warn)
    {
        _connection = new RedisConnection(Guard.NotNull(options, nameof(options)));
        _readFlags = options.ReadsFromReplicas ? CommandFlags.PreferReplica : CommandFlags.None;
        if (CacheKeys.IsDefault(Policy.KeyFunction)) _madeKeyPrefix = Encoding.UTF8.GetBytes(Policy.MakeKey("", Policy.Version));
        // Django's Redis backend raises on a dead server; here it is a miss, as on memcached, unless asked otherwise.
        FailuresAreMisses = !options.ThrowOnFailure;
    }

    /// <summary>A cache over servers written as a location (<c>127.0.0.1:6379/0</c>) with Django's default policy.</summary>
    /// <exception cref="ArgumentException">The location holds no server or a malformed one.</exception>
    public RedisCache(string location) : this(RedisOptions.Parse(location), CachePolicy.Default, CacheContext.Default) { }

    /// <inheritdoc/>
    public override string BackendName => "redis";

    /// <summary>The servers, database and settings this cache was built with.</summary>
    public RedisOptions Options => _connection.Options;

    /// <summary>True when the client holds a connection to at least one server.</summary>
    public bool IsConnected => _connection.IsConnected;

    /// <summary>The Redis key of <paramref name="key"/>: the made key (its bytes on the wire, without the string when it can).</summary>
    private RedisKey RedisKeyOf(CacheKey key) =>
        _madeKeyPrefix is { } prefix && key.Version == Policy.Version ? ((RedisKey)key.Key).Prepend(prefix) : (RedisKey)Policy.MakeKey(key);

    /// <summary>The time to live of an entry with <paramref name="expiry"/>, from now, in whole milliseconds rounded up; null for never.</summary>
    private TimeSpan? Ttl(Expiry expiry)
    {
        if (expiry.IsNever) return null;
        var ticks = expiry.UtcTicks - NowTicks;
        var milliseconds = Math.Max(1, (ticks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond);
        return TimeSpan.FromMilliseconds(milliseconds);
    }

    /// <summary>True when the servers form a Redis Cluster (declared, or reported by a connected node).</summary>
    private bool IsCluster(ConnectionMultiplexer multiplexer) =>
        Options.Cluster || multiplexer.GetServers().Any(s => s.IsConnected && s.ServerType == ServerType.Cluster);

    /// <summary>Runs a command, turning a client fault into <see cref="CacheBackendException"/>.</summary>
    private async ValueTask<T> Run<T>(Func<IDatabase, Task<T>> command)
    {
        var database = await _connection.DatabaseAsync().ConfigureAwait(false);
        try
        {
            return await command(database).ConfigureAwait(false);
        }
        catch (Exception e) when (RedisConnection.IsFault(e))
        {
            throw _connection.Failure(e);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _connection.Dispose();
}
