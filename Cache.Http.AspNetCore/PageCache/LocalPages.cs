using System.Collections.Concurrent;

namespace FunctionalCache.Http.AspNetCore;

/// <summary>
/// The local page cache of one application (<see cref="LocalPageOptions"/>): the results of page cache lookups
/// (a URL's header list, a variant's decoded page) kept in process, each with the stamp tags it was looked up under,
/// served until its deadline, and dropped at once by a URL purge or tag eviction on this node.
/// </summary>
/// <remarks>
/// Reads take no lock (a concurrent dictionary); writes, evictions and purges take one lock, as they happen on the
/// backend's slow path only. The bound is kept on every write: the oldest entries go first (insertion order), so the
/// count and the estimated bytes never exceed the options. A lookup that started before a purge never stores its result
/// after it: each write names the purge generation it started under and is dropped when a purge ran since.
/// Thread-safe.
/// </remarks>
internal sealed class LocalPages
{
    private readonly ConcurrentDictionary<LocalPageKey, LocalPage> _entries = new();
    private readonly LinkedList<LocalPageKey> _oldestFirst = new();
    private readonly Lock _gate = new();
    private long _bytes;
    private long _generation;

    public LocalPages(LocalPageOptions options)
    {
        Guard.NotNull(options, nameof(options));
        Guard.That(options.Lifetime > TimeSpan.Zero, nameof(options), "The local page lifetime must be greater than 0.");
        Guard.That(options.MaxEntries > 0, nameof(options), "The local page cache's maximum entries must be greater than 0.");
        Guard.That(options.MaxBytes > 0, nameof(options), "The local page cache's maximum bytes must be greater than 0.");
        Options = options;
    }

    public LocalPageOptions Options { get; }

    /// <summary>The purge generation: read before a backend lookup and passed to <see cref="Remember"/>.</summary>
    public long Generation => Volatile.Read(ref _generation);

    /// <summary>How many entries are kept (the bound's count).</summary>
    public int Count => _entries.Count;

    /// <summary>The estimated bytes kept (the bound's size).</summary>
    public long Bytes => Volatile.Read(ref _bytes);

    /// <summary>The entry under <paramref name="key"/> when it is still within its deadline at <paramref name="now"/>.</summary>
    public LocalPage? Find(LocalPageKey key, DateTimeOffset now) =>
        _entries.TryGetValue(key, out var entry) && now < entry.Until ? entry : null;

    /// <summary>
    /// Keeps <paramref name="value"/> under <paramref name="key"/> until the earlier of <paramref name="now"/> plus the
    /// lifetime and <paramref name="freshUntil"/>; nothing when a purge ran since <paramref name="generation"/>, when the
    /// deadline is already past, or when the entry alone is over the byte bound.
    /// </summary>
    public void Remember(LocalPageKey key, object value, IReadOnlyList<string> tags, string storedKey, long size,
        DateTimeOffset now, DateTimeOffset freshUntil, long generation)
    {
        var lifetimeEnd = Options.Lifetime >= DateTimeOffset.MaxValue - now ? DateTimeOffset.MaxValue : now + Options.Lifetime;
        var until = freshUntil < lifetimeEnd ? freshUntil : lifetimeEnd;
        if (until <= now || size > Options.MaxBytes) return;
        lock (_gate)
        {
            if (generation != _generation) return;
            if (_entries.TryGetValue(key, out var old)) Drop(key, old);
            var entry = new LocalPage(value, tags, storedKey, until, size) { Node = _oldestFirst.AddLast(key) };
            _entries[key] = entry;
            _bytes += size;
            while (_entries.Count > Options.MaxEntries || _bytes > Options.MaxBytes)
            {
                var oldest = _oldestFirst.First!.Value;
                Drop(oldest, _entries[oldest]);
            }
        }
    }

    /// <summary>Drops every entry looked up under the stamp tag <paramref name="tag"/> (a URL's or a page tag's), and fails lookups in flight.</summary>
    public void Purge(string tag)
    {
        lock (_gate)
        {
            _generation++;
            foreach (var (key, entry) in _entries)
                if (entry.HasTag(tag)) Drop(key, entry);
        }
    }

    // Under the lock.
    private void Drop(LocalPageKey key, LocalPage entry)
    {
        _entries.TryRemove(key, out _);
        _oldestFirst.Remove(entry.Node!);
        _bytes -= entry.Size;
    }
}
