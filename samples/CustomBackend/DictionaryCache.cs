using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using FunctionalCache;
using FunctionalCache.Backends;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Samples.CustomBackend;

/// <summary>
/// A cache over a plain <see cref="Dictionary{TKey, TValue}"/> behind one lock (<c>dict:///</c>, registered by
/// <see cref="DictionaryBackend"/>). It implements the eight primitives of <see cref="CacheBase"/>; the base derives
/// the rest of <see cref="ICache"/>: key making and checking, timeouts, many-key operations, versions, get-or-set.
/// </summary>
/// <remarks>
/// Each instance owns its store. Entries are keyed by the made key (prefix, version and key, through the policy's key
/// function). A new key arriving at a full store culls first: the expired entries, then, if it is still full,
/// <see cref="CachePolicy.CullCount"/> entries nearest their deadline (all of them with <c>CullFrequency</c> 0); an
/// overwrite never culls. Thread-safe: every primitive runs under one lock, which also makes Add, Touch and Increment
/// atomic.
/// </remarks>
public class DictionaryCache : CacheBase
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Creates an empty cache.</summary>
    public DictionaryCache(CachePolicy policy, CacheContext context) : base(policy, context, KeyCheck.Warn) { }

    /// <inheritdoc/>
    public override string BackendName => "dict";

    /// <inheritdoc/>
    protected override ValueTask<Option<object>> ReadCore(CacheKey key, CancellationToken cancellationToken)
    {
        lock (_lock) return ValueTask.FromResult(TryLive(Policy.MakeKey(key), out var entry) ? Some(entry.Payload) : Option<object>.None);
    }

    /// <inheritdoc/>
    protected override ValueTask WriteCore(CacheKey key, object payload, Expiry expiry, CancellationToken cancellationToken)
    {
        lock (_lock) Put(Policy.MakeKey(key), new Entry(payload, expiry));
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    protected override ValueTask<bool> AddCore(CacheKey key, object payload, Expiry expiry, CancellationToken cancellationToken)
    {
        var name = Policy.MakeKey(key);
        lock (_lock)
        {
            // An expired entry must not block Add: TryLive removes it on the way.
            if (TryLive(name, out _)) return ValueTask.FromResult(false);
            Put(name, new Entry(payload, expiry));
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc/>
    protected override ValueTask<bool> TouchCore(CacheKey key, Expiry expiry, CancellationToken cancellationToken)
    {
        var name = Policy.MakeKey(key);
        lock (_lock)
        {
            if (!TryLive(name, out var entry)) return ValueTask.FromResult(false);
            _entries[name] = entry with { Expiry = expiry };
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc/>
    protected override ValueTask<bool> RemoveCore(CacheKey key, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            // An expired entry is removed too, but it was not live: nothing was deleted.
            var removed = _entries.Remove(Policy.MakeKey(key), out var entry) && !HasExpired(entry.Expiry, NowTicks);
            return ValueTask.FromResult(removed);
        }
    }

    /// <inheritdoc/>
    protected override ValueTask<bool> ContainsCore(CacheKey key, CancellationToken cancellationToken)
    {
        lock (_lock) return ValueTask.FromResult(TryLive(Policy.MakeKey(key), out _));
    }

    /// <inheritdoc/>
    protected override ValueTask<Either<CacheError, long>> IncrementCore(CacheKey key, long delta, CancellationToken cancellationToken)
    {
        var name = Policy.MakeKey(key);
        lock (_lock)
        {
            if (!TryLive(name, out var entry)) return ValueTask.FromResult(Left<CacheError, long>(new CacheError.KeyNotFound(key.Key)));
            var sum = Sum(key.Key, entry.Payload, delta);
            // The new value is stored as every integer is (ASCII decimal), and keeps the entry's expiry.
            sum.IfRight(value => _entries[name] = entry with { Payload = Encode(value) });
            return ValueTask.FromResult(sum);
        }
    }

    /// <inheritdoc/>
    protected override ValueTask ClearCore(CancellationToken cancellationToken)
    {
        lock (_lock) _entries.Clear();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// True when an entry is gone at <paramref name="nowTicks"/>: from its deadline on (<see cref="Expiry.IsExpiredAt(long)"/>,
    /// Django's rule). Virtual only so that <see cref="BrokenDictionaryCache"/> can get it wrong.
    /// </summary>
    private protected virtual bool HasExpired(Expiry expiry, long nowTicks) => expiry.IsExpiredAt(nowTicks);

    // The live entry under a made key; an expired one is removed on the way. Call under the lock.
    private bool TryLive(string name, [MaybeNullWhen(false)] out Entry entry)
    {
        if (!_entries.TryGetValue(name, out entry)) return false;
        if (!HasExpired(entry.Expiry, NowTicks)) return true;
        _entries.Remove(name);
        entry = null;
        return false;
    }

    // Stores an entry: a new key arriving at a full store culls first, an overwrite never does. Call under the lock.
    private void Put(string name, Entry entry)
    {
        if (!_entries.ContainsKey(name) && _entries.Count >= Policy.MaxEntries) Cull();
        _entries[name] = entry;
    }

    // The expired entries, then, if the store is still full, CullCount of those nearest their deadline. Call under the lock.
    private void Cull()
    {
        var now = NowTicks;
        foreach (var name in _entries.Where(e => HasExpired(e.Value.Expiry, now)).Select(e => e.Key).ToList()) _entries.Remove(name);
        if (_entries.Count < Policy.MaxEntries) return;
        var victims = _entries.OrderBy(e => e.Value.Expiry.UtcTicks).Take(Policy.CullCount(_entries.Count)).Select(e => e.Key).ToList();
        foreach (var name in victims) _entries.Remove(name);
    }

    // stored + delta. Every serializer stores integers as ASCII decimal, so a counter is an optional '-' and digits:
    // digits too many for a long are Overflow, anything else (a text, JSON, a stored null) is NotAnInteger.
    private static Either<CacheError, long> Sum(string key, object payload, long delta)
    {
        if (payload is not byte[] text || !IsDecimal(text)) return Left<CacheError, long>(new CacheError.NotAnInteger(key));
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var stored)) return Left<CacheError, long>(new CacheError.Overflow(key));
        try { return Right<CacheError, long>(checked(stored + delta)); }
        catch (OverflowException) { return Left<CacheError, long>(new CacheError.Overflow(key)); }
    }

    private static bool IsDecimal(ReadOnlySpan<byte> text)
    {
        var digits = text.Length > 0 && text[0] == (byte)'-' ? text[1..] : text;
        return digits.Length > 0 && !digits.ContainsAnyExceptInRange((byte)'0', (byte)'9');
    }

    private sealed record Entry(object Payload, Expiry Expiry);
}
