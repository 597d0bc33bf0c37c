using BitFaster.Caching.Lru;

namespace HitRate;

/// <summary>BitFaster's <c>ConcurrentLru</c> (a segmented pseudo-LRU) holding at most <c>capacity</c> entries.</summary>
internal sealed class LruContender(int capacity) : Contender
{
    private readonly ConcurrentLru<string, string> _lru = new(capacity);

    public override string Series => "ConcurrentLru";

    public override bool Lookup(string key)
    {
        if (_lru.TryGet(key, out _)) return true;
        _lru.AddOrUpdate(key, key);
        return false;
    }
}
