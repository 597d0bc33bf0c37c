using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends.LocMem;

/// <summary>
/// The in-process memory cache (<c>locmem:///</c>): least-recently-used culling when full, serialized
/// copies by default or object references with <see cref="LocMemStore.Reference"/>.
/// </summary>
/// <remarks>
/// Django's <c>LocMemCache</c>, with two differences: each instance owns its store (share a cache by
/// sharing the instance), and a cull removes at least one entry so the count never exceeds
/// <see cref="CachePolicy.MaxEntries"/>. Reads take no lock: a hit is a dictionary lookup plus a stamp
/// write. Writes are serialized by one lock that keeps the count, the culling and read-modify-write
/// operations (add, increment, touch) consistent. Serialization happens outside the lock.
/// Thread-safe.
/// </remarks>
public sealed partial class LocMemCache : CacheBase, ISyncCache, Diagnostics.ICacheEvictionSource
{
    private readonly ConcurrentDictionary<CacheKey, LocMemEntry> _entries = new();
    private readonly Lock _writeLock = new();
    private readonly bool _defaultKeys;
    private long _clock;
    private int _count;

    /// <summary>Creates an empty cache.</summary>
    public LocMemCache(CachePolicy policy, CacheContext context, LocMemStore store = LocMemStore.Copy)
        : base(policy, context, KeyCheck.Warn)
    {
        Store = store;
        _defaultKeys = CacheKeys.IsDefault(policy.KeyFunction);
    }

    /// <summary>Creates an empty cache with Django's default policy, the system clock and copies.</summary>
    public LocMemCache() : this(CachePolicy.Default, CacheContext.Default) { }

    /// <inheritdoc/>
    public event Action<int>? Evicted;

    /// <summary>How values are held.</summary>
    public LocMemStore Store { get; }

    /// <summary>The number of entries held, live or expired-but-not-yet-removed.</summary>
    public int Count => Volatile.Read(ref _count);

    // With the default key function the prefix is the same for every entry of this instance, so
    // (version, key) identifies the made key without building it. A custom function may map several
    // (version, key) pairs to one made key, so then the made key itself is the identity.
    private CacheKey Slot(CacheKey key) => _defaultKeys ? key : new CacheKey(Policy.MakeKey(key), 0);

    private long Tick() => Interlocked.Increment(ref _clock);

    /// <summary>The live entry, with its stamp refreshed (a read makes it most recently used).</summary>
    private Option<LocMemEntry> Live(CacheKey slot, bool touchStamp) =>
        TryLive(slot, touchStamp, out var entry) ? entry : None;

    /// <summary>
    /// The hit path of every read: the live entry, with its stamp refreshed when asked. An expired
    /// entry is removed on the way. The clock is read only for an entry that can expire.
    /// </summary>
    private bool TryLive(CacheKey slot, bool touchStamp, [MaybeNullWhen(false)] out LocMemEntry entry)
    {
        if (!_entries.TryGetValue(slot, out entry)) return false;
        if (!entry.Expiry.IsNever && entry.Expiry.IsExpiredAt(Now.UtcTicks))
        {
            lock (_writeLock) Forget(slot, entry);
            entry = null;
            return false;
        }
        if (touchStamp) Touch(entry);
        return true;
    }

    /// <summary>
    /// Makes the entry most recently used. When it already is (its stamp is the latest tick) a new tick
    /// would not change the order, so the shared clock is left alone: a hot key read again and again,
    /// by one thread or many, does not keep writing the clock's cache line.
    /// </summary>
    private void Touch(LocMemEntry entry)
    {
        if (entry.Stamp != Volatile.Read(ref _clock)) entry.Stamp = Tick();
    }

    /// <summary>Removes exactly this entry (not a newer one a racing writer put there). Call under the write lock.</summary>
    private bool Forget(CacheKey slot, LocMemEntry entry)
    {
        if (!_entries.TryRemove(new KeyValuePair<CacheKey, LocMemEntry>(slot, entry))) return false;
        _count--;
        return true;
    }

    /// <summary>Puts an entry in, culling first when a new key would overflow. Call under the write lock.</summary>
    private void Put(CacheKey slot, LocMemEntry entry)
    {
        if (_entries.ContainsKey(slot))
        {
            _entries[slot] = entry;
            return;
        }
        if (_count >= Policy.MaxEntries) Cull();
        _entries[slot] = entry;
        _count++;
    }

    /// <summary>Removes the least recently used <see cref="CachePolicy.CullCount"/> entries. Call under the write lock.</summary>
    private void Cull()
    {
        var before = _count;
        if (Policy.CullFrequency == 0)
        {
            _entries.Clear();
            _count = 0;
        }
        else
        {
            var victims = _entries.ToArray();
            var stamps = System.Array.ConvertAll(victims, pair => pair.Value.Stamp);
            System.Array.Sort(stamps, victims);
            foreach (var victim in victims.AsSpan(0, Policy.CullCount(victims.Length)))
                Forget(victim.Key, victim.Value);
        }
        Evicted?.Invoke(before - _count);
    }

    private void ClearAll()
    {
        lock (_writeLock)
        {
            _entries.Clear();
            _count = 0;
        }
    }
}
