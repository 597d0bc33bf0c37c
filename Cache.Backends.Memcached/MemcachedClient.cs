using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends.Memcached;

/// <summary>
/// A client for memcached's meta protocol (<c>mg</c>, <c>ms</c>, <c>md</c>, <c>ma</c>, <c>mn</c>; memcached 1.6+)
/// over one or many servers: pooled connections, async socket I/O, keys spread by libmemcached-compatible
/// ketama hashing, many-key requests pipelined as one round trip per server.
/// </summary>
/// <remarks>
/// <para>
/// Keys are UTF-8, at most 250 bytes, with no space, control character or DEL; anything else is refused with
/// <see cref="InvalidCacheKeyException"/> before it reaches the wire. Values are raw bytes with 32-bit client
/// flags. TTLs are sent as given (memcached's rules: 0 = never, up to 30 days = seconds, beyond = a Unix time).
/// </para>
/// <para>
/// Faults: a server that refuses, times out or breaks the protocol is marked dead for
/// <see cref="MemcachedOptions.DeadServerBackOff"/> and its keys are not moved to other servers. A single-key
/// operation and <c>flush_all</c> throw <see cref="CacheBackendException"/> (the cache decides whether that is a
/// miss). A many-key operation serves the servers that answered: unless <see cref="MemcachedOptions.ThrowOnFailure"/>,
/// a failed server's keys are misses or <see cref="MemcachedStoreResult.Failed"/>, and the failure goes to the
/// client's failure handler.
/// </para>
/// <para>Thread-safe. Dispose closes every connection.</para>
/// </remarks>
internal sealed partial class MemcachedClient : IDisposable
{
    private readonly MemcachedNode[] _nodes;
    private readonly KetamaContinuum _continuum;
    private readonly Action<CacheBackendException> _failureAnswered;

    /// <summary>
    /// A client for the servers in <paramref name="options"/>; connections open on first use. A many-key operation
    /// hands the failures it answers as misses to <paramref name="failureAnswered"/>.
    /// </summary>
    public MemcachedClient(MemcachedOptions options, Action<CacheBackendException>? failureAnswered = null)
    {
        Options = Guard.NotNull(options, nameof(options));
        _failureAnswered = failureAnswered ?? (static _ => { });
        _nodes = options.Servers.Map(s => new MemcachedNode(s, options)).ToArray();
        _continuum = new KetamaContinuum(options.Servers.ToArray());
    }

    /// <summary>The options the client runs with.</summary>
    public MemcachedOptions Options { get; }

    /// <summary>The server that holds <paramref name="key"/>.</summary>
    /// <exception cref="InvalidCacheKeyException">The key cannot be sent to memcached.</exception>
    public MemcachedServer ServerFor(string key) => NodeFor(MemcachedWireKey.Encode(key)).Server;

    /// <summary>True while <paramref name="server"/> is skipped after a failure.</summary>
    public bool IsMarkedDead(MemcachedServer server) => _nodes.Any(n => n.Server == server && n.IsDead);

    private MemcachedNode NodeFor(ReadOnlySpan<byte> key) => _nodes.Length == 1 ? _nodes[0] : _nodes[_continuum.ServerFor(key)];

    private int NodeIndexFor(ReadOnlySpan<byte> key) => _nodes.Length == 1 ? 0 : _continuum.ServerFor(key);

    // ---- single-key operations --------------------------------------------------------------------

    /// <summary>The item under <paramref name="key"/> (<c>mg v f c t</c>), or None on a miss.</summary>
    public Task<Option<MemcachedItem>> GetAsync(string key, CancellationToken cancellationToken = default) =>
        GetCoreAsync(MemcachedWireKey.Encode(key), true, cancellationToken).AsTask();

    internal ValueTask<Option<MemcachedItem>> GetCoreAsync(byte[] key, bool withCasAndTtl, CancellationToken cancellationToken) =>
        GetCoreAsync(key, withCasAndTtl, static item => Some(item), None, cancellationToken);

    /// <summary>
    /// <c>mg</c> on one key, the hit turned into a <typeparamref name="T"/> by <paramref name="found"/>:
    /// the request written, sent and read on the rented connection with no further async layer.
    /// </summary>
    internal async ValueTask<T> GetCoreAsync<T>(byte[] key, bool withCasAndTtl, Func<MemcachedItem, T> found, T missing, CancellationToken cancellationToken)
    {
        var item = await NodeFor(key).RequestAsync<(byte[] key, bool withCasAndTtl), MemcachedItem?>((key, withCasAndTtl), static (w, s) =>
            w.Bytes("mg "u8).Bytes(s.key).Bytes(s.withCasAndTtl ? " v f c t"u8 : " v f"u8).EndLine(),
            static (answer, _) => answer.Line.Reply switch
            {
                MemcachedReply.Value => new MemcachedItem(answer.Value!, answer.Line.Flags, answer.Line.Cas, answer.Line.Ttl),
                MemcachedReply.Miss => null,
                _ => throw Unexpected("mg", answer.Line),
            }, cancellationToken).ConfigureAwait(false);
        return item is { } hit ? found(hit) : missing;
    }

    /// <summary>True when <paramref name="key"/> holds a live item (<c>mg</c> without flags).</summary>
    public Task<bool> ContainsAsync(string key, CancellationToken cancellationToken = default) =>
        ContainsCoreAsync(MemcachedWireKey.Encode(key), cancellationToken).AsTask();

    /// <summary>Gives a live item a new TTL (<c>mg T</c>); true when there was one.</summary>
    public Task<bool> TouchAsync(string key, long ttl, CancellationToken cancellationToken = default) =>
        TouchCoreAsync(MemcachedWireKey.Encode(key), ttl, cancellationToken).AsTask();

    /// <summary>Deletes <paramref name="key"/> (<c>md</c>); true when an item was removed.</summary>
    public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) =>
        DeleteCoreAsync(MemcachedWireKey.Encode(key), cancellationToken).AsTask();

    internal ValueTask<bool> ContainsCoreAsync(byte[] key, CancellationToken cancellationToken) => FlagAsync(key, Mg, [], 0, false, cancellationToken);

    internal ValueTask<bool> TouchCoreAsync(byte[] key, long ttl, CancellationToken cancellationToken) => FlagAsync(key, Mg, TFlag, ttl, true, cancellationToken);

    internal ValueTask<bool> DeleteCoreAsync(byte[] key, CancellationToken cancellationToken) => FlagAsync(key, Md, [], 0, false, cancellationToken);

    private static readonly byte[] Mg = "mg"u8.ToArray();
    private static readonly byte[] Md = "md"u8.ToArray();
    private static readonly byte[] TFlag = " T"u8.ToArray();

    private ValueTask<bool> FlagAsync(byte[] key, byte[] command, byte[] flag, long number, bool withNumber, CancellationToken cancellationToken) =>
        NodeFor(key).RequestAsync((key, command, flag, number, withNumber), static (w, s) =>
        {
            w.Bytes(s.command).Bytes(" "u8).Bytes(s.key).Bytes(s.flag);
            if (s.withNumber) w.Number(s.number);
            w.EndLine();
        }, static (answer, s) => answer.Line.Reply switch
        {
            MemcachedReply.Header => true,
            MemcachedReply.Miss or MemcachedReply.NotFound => false,
            _ => throw Unexpected(System.Text.Encoding.ASCII.GetString(s.command), answer.Line),
        }, cancellationToken);

    /// <summary>
    /// Stores <paramref name="value"/> under <paramref name="key"/> (<c>ms</c>) with client
    /// <paramref name="flags"/> and <paramref name="ttl"/>; with a non-zero <paramref name="cas"/>, only if
    /// the item still has that CAS token.
    /// </summary>
    public Task<MemcachedStoreResult> StoreAsync(MemcachedStoreMode mode, string key, ReadOnlyMemory<byte> value, uint flags, long ttl, ulong cas = 0, CancellationToken cancellationToken = default) =>
        StoreCoreAsync(mode, MemcachedWireKey.Encode(key), value, flags, ttl, cas, cancellationToken).AsTask();

    internal ValueTask<MemcachedStoreResult> StoreCoreAsync(MemcachedStoreMode mode, byte[] key, ReadOnlyMemory<byte> value, uint flags, long ttl, ulong cas, CancellationToken cancellationToken) =>
        NodeFor(key).RequestAsync((mode, key, value, flags, ttl, cas), static (w, s) =>
            WriteStore(w, s.mode, s.key, s.value.Span, s.flags, s.ttl, s.cas, -1),
            static (answer, _) => StoreResult(answer.Line), cancellationToken);

    /// <summary>
    /// Adds <paramref name="delta"/> to (or subtracts it from) the unsigned decimal counter under
    /// <paramref name="key"/> (<c>ma</c>). memcached's rules: a decrement stops at 0 and an increment wraps
    /// at 2^64; the item keeps its TTL and flags.
    /// </summary>
    public Task<MemcachedCounter> ArithmeticAsync(string key, ulong delta, bool decrement, CancellationToken cancellationToken = default) =>
        ArithmeticCoreAsync(MemcachedWireKey.Encode(key), delta, decrement, cancellationToken).AsTask();

    internal ValueTask<MemcachedCounter> ArithmeticCoreAsync(byte[] key, ulong delta, bool decrement, CancellationToken cancellationToken) =>
        NodeFor(key).RequestAsync((key, delta, decrement), static (w, s) =>
            w.Bytes("ma "u8).Bytes(s.key).Bytes(" v D"u8).Number(s.delta).Bytes(s.decrement ? " MD"u8 : " MI"u8).EndLine(),
            static (answer, _) => answer.Line.Reply switch
        {
            MemcachedReply.Value => System.Buffers.Text.Utf8Parser.TryParse(answer.Value, out ulong n, out var used) && used == answer.Value!.Length
                ? new MemcachedCounter(MemcachedCounterStatus.Done, n)
                : throw new IOException("memcached answered ma with a value that is not a number."),
            MemcachedReply.NotFound => new MemcachedCounter(MemcachedCounterStatus.NotFound, 0),
            MemcachedReply.NonNumeric => new MemcachedCounter(MemcachedCounterStatus.NonNumeric, 0),
            _ => throw Unexpected("ma", answer.Line),
        }, cancellationToken);

    /// <summary>
    /// Empties every server (<c>flush_all</c>): every key of every user of these servers, not only this
    /// client's. Every server is asked even when one fails; then the first failure is thrown.
    /// </summary>
    /// <exception cref="CacheBackendException">A server could not be flushed.</exception>
    public async Task FlushAllAsync(CancellationToken cancellationToken = default)
    {
        CacheBackendException? failure = null;
        foreach (var node in _nodes)
        {
            try
            {
                await node.RunAsync(0, static async (c, _) =>
                {
                    c.Text("flush_all"u8).EndLine();
                    await c.SendAsync().ConfigureAwait(false);
                    var r = await c.ReadAsync().ConfigureAwait(false);
                    return r.Reply == MemcachedReply.Ok ? true : throw Unexpected("flush_all", r);
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (CacheBackendException e)
            {
                failure ??= e;
            }
        }
        if (failure is not null) throw failure;
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static void WriteStore(MemcachedRequestText c, MemcachedStoreMode mode, byte[] key, ReadOnlySpan<byte> value, uint flags, long ttl, ulong cas, int opaque)
    {
        c.Bytes("ms "u8).Bytes(key).Bytes(" "u8).Number((long)value.Length).Bytes(" T"u8).Number(ttl);
        if (flags != 0) c.Bytes(" F"u8).Number((ulong)flags);
        c.Bytes(mode switch { MemcachedStoreMode.Add => " ME"u8, MemcachedStoreMode.Replace => " MR"u8, _ => " MS"u8 });
        if (cas != 0) c.Bytes(" C"u8).Number(cas);
        if (opaque >= 0) c.Bytes(" O"u8).Number((long)opaque);
        c.EndLine().Bytes(value).EndLine();
    }

    private static MemcachedStoreResult StoreResult(MemcachedResponse r) => r.Reply switch
    {
        MemcachedReply.Header => MemcachedStoreResult.Stored,
        MemcachedReply.NotStored => MemcachedStoreResult.NotStored,
        MemcachedReply.Exists => MemcachedStoreResult.Exists,
        MemcachedReply.NotFound => MemcachedStoreResult.NotFound,
        MemcachedReply.TooLarge => MemcachedStoreResult.TooLarge,
        _ => throw Unexpected("ms", r),
    };

    private static IOException Unexpected(string command, MemcachedResponse r) =>
        new($"memcached answered {command} with an unexpected {r.Reply} response.");

    private void Log(CacheBackendException e) => _failureAnswered(e);

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var node in _nodes) node.Dispose();
    }
}
