namespace FunctionalCache.Http.AspNetCore;

/// <summary>One kept lookup result: a header list (<c>string[]</c>) or a page (<see cref="ServedEntry"/>).</summary>
internal sealed class LocalPage(object value, IReadOnlyList<string> tags, string storedKey, DateTimeOffset until, long size)
{
    public object Value { get; } = value;

    /// <summary>The stamp tags it was looked up under: a request with other tags does not use it.</summary>
    public IReadOnlyList<string> Tags { get; } = tags;

    /// <summary>The backend key it was read from, stamps included (the key renders and refreshes coalesce on).</summary>
    public string StoredKey { get; } = storedKey;

    public DateTimeOffset Until { get; } = until;

    public long Size { get; } = size;

    internal LinkedListNode<LocalPageKey>? Node { get; init; }

    public bool HasTag(string tag)
    {
        for (var i = 0; i < Tags.Count; i++)
            if (string.Equals(Tags[i], tag, StringComparison.Ordinal)) return true;
        return false;
    }

    /// <summary>True when <paramref name="tags"/> are the tags it was looked up under, in order.</summary>
    public bool SameTags(IReadOnlyList<string> tags)
    {
        if (tags.Count != Tags.Count) return false;
        for (var i = 0; i < tags.Count; i++)
            if (!string.Equals(tags[i], Tags[i], StringComparison.Ordinal)) return false;
        return true;
    }
}
