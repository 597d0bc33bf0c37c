using System.Reflection;
using Microsoft.Extensions.Caching.Memory;

namespace HitRate;

/// <summary>
/// <c>MemoryCache</c> with <c>SizeLimit</c> = capacity and every entry of size 1.
/// </summary>
/// <remarks>
/// MemoryCache never evicts inside a write: a write that would pass the limit is dropped, and a
/// compaction (down to 95% of the limit, least recently read first) is queued on the thread pool. A
/// tight replay loop runs ahead of that compaction and sees write after write dropped, which a server
/// whose requests arrive microseconds apart rarely does; it also flatters MemoryCache, since dropping
/// newcomers while full works as an admission filter that keeps the hot keys in. So after a dropped
/// write the replay waits until the compaction is done before the next request, the chance it gets
/// in real use; the dropped write stays lost, as it would be.
/// <para>
/// "Done" means finished, not just under way: MemoryCache runs one compaction at a time and a write
/// dropped while one is still finishing queues none, so a replay that went on as soon as the count
/// fell would fill the cache again and wait for a compaction that never comes. Its private flag for
/// that (<c>lockFlag</c>, Microsoft.Extensions.Caching.Memory 10) is read by reflection; should a
/// version lack it, a millisecond's pause stands in.
/// </para>
/// </remarks>
internal sealed class MemoryCacheContender(int capacity) : Contender
{
    private const double CompactionPercentage = 0.05;
    private static readonly TimeSpan CompactionWait = TimeSpan.FromSeconds(10);

    private static readonly FieldInfo? CompactionRunning =
        typeof(MemoryCache).GetField("lockFlag", BindingFlags.NonPublic | BindingFlags.Instance) is { FieldType: var type } field && type == typeof(int) ? field : null;

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = capacity, CompactionPercentage = CompactionPercentage });
    private readonly MemoryCacheEntryOptions _entry = new() { Size = 1, AbsoluteExpirationRelativeToNow = Expiry };

    // Where a compaction stops: MemoryCache's own arithmetic.
    private readonly long _lowWatermark = capacity - (long)(capacity * CompactionPercentage);

    public override string Series => "MemoryCache";

    public override bool Lookup(string key)
    {
        if (_cache.TryGetValue(key, out _)) return true;
        _cache.Set(key, key, _entry);
        // Asking for the key just written is the only exact test of a dropped write (a count can move
        // under a compaction's removals); it makes the new entry no more recent than it already is.
        if (!_cache.TryGetValue(key, out _)) AwaitCompaction();
        return false;
    }

    private void AwaitCompaction()
    {
        var deadline = DateTime.UtcNow + CompactionWait;
        while (_cache.Count > _lowWatermark || (CompactionRunning?.GetValue(_cache) is int running && running != 0))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"MemoryCache did not compact within {CompactionWait.TotalSeconds} s.");
            Thread.Yield();
        }
        if (CompactionRunning is null) Thread.Sleep(1);
    }

    public override void Dispose() => _cache.Dispose();
}
