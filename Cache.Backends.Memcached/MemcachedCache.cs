using LanguageExt;

namespace FunctionalCache.Backends.Memcached;

/// <summary>
/// The memcached cache (<c>memcached://h1:11211;h2:11212/</c>): one or many memcached 1.6+ servers that
/// behave as one cache, reached through <see cref="MemcachedClient"/> and its meta protocol.
/// </summary>
/// <remarks>
/// <para>
/// Django's <c>PyLibMCCache</c>/<c>PyMemcacheCache</c>. Every operation runs on the server's own primitives:
/// <c>Add</c> is <c>ms ME</c>, <c>Touch</c> is <c>mg T</c>, <c>HasKey</c> is a flagless <c>mg</c>,
/// <c>Increment</c>/<c>Decrement</c> are <c>ma</c>, <c>GetMany</c> is one quiet pipelined round trip per
/// server, <c>SetMany</c> and <c>DeleteMany</c> are pipelined too. Keys are spread over the servers by
/// libmemcached-compatible ketama hashing (<see cref="KetamaContinuum"/>); instances and processes pointed at
/// the same servers share one store.
/// </para>
/// <para>
/// <b>Keys.</b> A made key that breaks <see cref="KeyRules"/>, or is over 250 bytes in UTF-8, is rejected with
/// <see cref="InvalidCacheKeyException"/> (Django's <c>InvalidCacheKey</c>) and never reaches the wire. Use
/// <see cref="MemcachedKeys.HashLongOrUnsafe"/> (URI: <c>hash_keys=true</c>) to hash such keys instead.
/// </para>
/// <para>
/// <b>Timeouts.</b> <see cref="CacheTimeout.Never"/> is sent as 0, spans up to 30 days as whole seconds
/// (rounded up, see <see cref="MemcachedTtl"/>), longer spans as an absolute Unix time; a zero or negative
/// timeout stores nothing (and <c>Set</c> deletes the key). Expiry follows the server's clock, not
/// <see cref="CacheContext.Time"/>: the context's clock only measures the span left.
/// </para>
/// <para>
/// <b>Values.</b> Serialized bytes are stored as they are, with client flags 0; a stored null is an empty
/// value with client flag 1, so it stays a hit distinct from every value. A value over the server's item
/// size limit (1 MB by default) makes <c>Set</c>/<c>Add</c> throw <see cref="CacheBackendException"/> saying
/// so, and <c>SetMany</c> report the key; after a failed <c>Set</c> or <c>SetMany</c> the key holds no value,
/// so no stale value survives.
/// </para>
/// <para>
/// <b>Counters.</b> <c>Increment</c> and <c>Decrement</c> are memcached's atomic <c>ma</c> on a non-negative
/// stored integer, and keep its expiry. memcached counters are unsigned: <b>a decrement stops at 0</b>
/// (5 decremented by 7 is 0, not -2). Counters are otherwise signed 64-bit, as on every backend: a change past
/// <see cref="long.MaxValue"/>, and any change of a stored integer outside <see cref="long"/>'s range (memcached
/// would count 2^63 and wrap 18446744073709551615 to 0), is undone and reported as <see cref="CacheError.Overflow"/>
/// (<see cref="MemcachedCounterRange"/>). A stored negative integer or one past 2^64 (which memcached cannot count)
/// is changed by an atomic compare-and-swap loop instead, with exact signed arithmetic. A missing key is
/// <see cref="CacheError.KeyNotFound"/>, anything else <see cref="CacheError.NotAnInteger"/>; memcached itself also
/// counts a text that C's <c>strtoull</c> reads as a number (<c>+5</c>, <c> 5</c>), which the other backends do not.
/// </para>
/// <para>
/// <b>Faults.</b> A server that refuses or times out is skipped for <see cref="MemcachedOptions.DeadServerBackOff"/>
/// and retried after it; its keys are not moved to other servers. Meanwhile reads of its keys are misses,
/// <c>Set</c> logs a warning, <c>Add</c>/<c>Delete</c>/<c>Touch</c> return false, <c>SetMany</c> lists the
/// keys and counters return <see cref="CacheError.BackendFailure"/>; nothing throws unless
/// <see cref="MemcachedOptions.ThrowOnFailure"/> is set, which throws <see cref="CacheBackendException"/>. Each such
/// failure is logged and raised as <see cref="CacheBase.FailureAnswered"/>. To learn that a write did not happen
/// without throwing, call the <c>Try…</c> operations (<c>TrySetAsync</c>, <c>TryDeleteAsync</c>, <c>TryClearAsync</c>…):
/// they answer <c>Left(BackendFailure)</c>.
/// When the server comes back, it is flushed before it serves anything if a write, delete, touch or counter meant
/// for it was dropped or failed meanwhile (<see cref="MemcachedOptions.FlushOnRevival"/>): otherwise it would serve
/// the values those writes replaced.
/// </para>
/// <para>
/// <b>Clear</b> is <c>flush_all</c> on every server, as in Django: it empties the servers for every user, not
/// only the keys with this cache's prefix. There is no culling: memcached evicts by its own LRU.
/// </para>
/// <para>Thread-safe. Dispose closes the connections.</para>
/// </remarks>
public sealed partial class MemcachedCache : CacheBase, IDisposable
{
    /// <inheritdoc/>
    public override string BackendName => "memcached";

    /// <summary>The client flag that marks a stored null.</summary>
    internal const uint NullFlag = 1;

    /// <summary>The client flag that marks a value written as a decimal integer (a counter); see <see cref="WithoutCounterPadding"/>.</summary>
    internal const uint CounterFlag = 2;

    /// <summary>A cache over the servers in <paramref name="options"/>.</summary>
    public MemcachedCache(MemcachedOptions options, CachePolicy policy, CacheContext context)
        : base(policy, context, KeyCheck.Reject)
    {
        Client = new MemcachedClient(Guard.NotNull(options, nameof(options)), ReportFailure);
        // Django's memcached backends answer a dead server as a miss; TryGetAsync/TrySetAsync… still report it.
        FailuresAreMisses = !options.ThrowOnFailure;
        _defaultKeys = CacheKeys.IsDefault(policy.KeyFunction);
    }

    /// <summary>True when the policy makes keys with the default function, so wire keys are written without the made string.</summary>
    private readonly bool _defaultKeys;

    /// <summary>A cache over servers written as a location (<c>h1:11211;h2:11212</c>) with Django's default policy.</summary>
    /// <exception cref="ArgumentException">The location holds no server or a malformed one.</exception>
    public MemcachedCache(string location) : this(MemcachedOptions.Parse(location), CachePolicy.Default, CacheContext.Default) { }

    /// <summary>The servers, pool and timeouts this cache was built with.</summary>
    public MemcachedOptions Options => Client.Options;

    /// <summary>The server list, in order (the order places the keys): every memcached cache on it in this process shares get-or-set flights.</summary>
    internal override object StoreIdentity => "memcached:" + string.Join(",", Options.Servers);

    /// <summary>The client underneath: raw meta protocol access for tests and benchmarks.</summary>
    internal MemcachedClient Client { get; }

    /// <summary>The server that holds <paramref name="key"/> at <paramref name="version"/> (the policy's by default).</summary>
    /// <exception cref="InvalidCacheKeyException">The made key cannot be stored in memcached.</exception>
    public MemcachedServer ServerFor(string key, int? version = null) => Client.ServerFor(Policy.MakeKey(Key(key, version)));

    private byte[] WireKey(CacheKey key)
    {
        if (_defaultKeys)
        {
            Span<byte> into = stackalloc byte[MemcachedWireKey.MaxBytes];
            var length = MemcachedWireKey.TryWriteDefault(Policy.KeyPrefix, key.Version, key.Key, into);
            if (length >= 0) return into[..length].ToArray();
        }
        return MemcachedWireKey.Encode(Policy.MakeKey(key));
    }

    /// <summary>Adds <paramref name="key"/>'s wire key to <paramref name="batch"/>, checked as <see cref="WireKey"/> checks it.</summary>
    private void AddWireKey(MemcachedKeyBatch batch, CacheKey key)
    {
        var length = _defaultKeys ? MemcachedWireKey.TryWriteDefault(Policy.KeyPrefix, key.Version, key.Key, batch.Next()) : -1;
        if (length >= 0) batch.Commit(length);
        else batch.Add(Policy.MakeKey(key));
    }

    private long Ttl(Expiry expiry) => MemcachedTtl.Of(expiry, Now, DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    private static (ReadOnlyMemory<byte> Value, uint Flags) Wire(object payload) =>
        payload is byte[] bytes ? (bytes, IntegerText.Parse(bytes).IsSome ? CounterFlag : 0u) : (ReadOnlyMemory<byte>.Empty, NullFlag);

    private static object Payload(MemcachedItem item) => Payload(item.Value, item.Flags);

    private static object Payload(byte[] value, uint flags) =>
        (flags & NullFlag) != 0 ? StoredNull.Instance : (flags & CounterFlag) != 0 ? WithoutCounterPadding(value) : value;

    private static Option<object> FoundPayload(MemcachedItem item) => Option<object>.Some(Payload(item));

    private static Option<object> FoundPayload(byte[] value, uint flags) => Option<object>.Some(Payload(value, flags));

    /// <summary>
    /// memcached does not shorten a counter that a decrement leaves with fewer digits: it pads it with
    /// trailing spaces (17 decremented by 14 reads back as "3 "). Values written as integers carry
    /// <see cref="CounterFlag"/> (memcached keeps flags through <c>ma</c>), so only they are trimmed and a
    /// stored text such as "3 " keeps its blank.
    /// </summary>
    internal static byte[] WithoutCounterPadding(byte[] value)
    {
        if (value.Length < 2 || value[^1] != (byte)' ') return value;
        var digits = value.AsSpan().TrimEnd((byte)' ');
        return IntegerText.Parse(digits).IsSome ? digits.ToArray() : value;
    }

    private CacheBackendException TooLarge(CacheKey key, int size) =>
        CacheBackendException.Refusal($"The value for key '{Policy.MakeKey(key)}' ({size} bytes) is over the memcached server's item size limit; nothing was stored and any old value under the key was deleted.");

    /// <inheritdoc/>
    public void Dispose() => Client.Dispose();
}
