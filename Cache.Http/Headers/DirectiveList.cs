namespace FunctionalCache.Http;

/// <summary>
/// The ordered directive dictionary Django's <c>patch_cache_control</c> builds, as a short-lived mutable list used
/// inside one parse or merge: one entry per name in the order names first appeared, a later value replacing an
/// earlier one in place; <c>no-cache</c> instead collects a set of field names at its first position, and a bare
/// <c>no-cache</c> absorbs the fields ("True takes precedence" in Django).
/// </summary>
internal sealed class DirectiveList
{
    internal const string NoCache = "no-cache";

    private readonly List<CacheDirective> _items;

    public DirectiveList(int capacity = 8) => _items = new List<CacheDirective>(capacity);

    public DirectiveList(CacheDirective[] items) => _items = new List<CacheDirective>(items);

    public bool Contains(string name) => IndexOf(name) >= 0;

    public CacheDirective? Find(string name)
    {
        var i = IndexOf(name);
        return i < 0 ? null : _items[i];
    }

    public void Set(CacheDirective directive)
    {
        if (directive.Name == NoCache)
        {
            AddNoCache(directive);
            return;
        }
        var i = IndexOf(directive.Name);
        if (i < 0) _items.Add(directive);
        else _items[i] = directive;
    }

    public void Remove(string name)
    {
        var i = IndexOf(name);
        if (i >= 0) _items.RemoveAt(i);
    }

    public CacheDirective[] ToArray() => _items.ToArray();

    private void AddNoCache(CacheDirective directive)
    {
        var first = IndexOf(NoCache);
        if (first < 0)
        {
            _items.Add(directive);
            return;
        }
        var last = first;
        while (last + 1 < _items.Count && _items[last + 1].Name == NoCache) last++;
        if (_items[first].IsFlag) return;
        if (directive.IsFlag)
        {
            _items.RemoveRange(first, last - first + 1);
            _items.Insert(first, directive);
            return;
        }
        for (var i = first; i <= last; i++)
            if (_items[i].Equals(directive)) return;
        _items.Insert(last + 1, directive);
    }

    private int IndexOf(string name)
    {
        for (var i = 0; i < _items.Count; i++)
            if (_items[i].Name == name) return i;
        return -1;
    }
}
