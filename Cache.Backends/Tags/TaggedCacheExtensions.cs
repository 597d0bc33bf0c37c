namespace FunctionalCache.Backends.Tags;

/// <summary>Adds tags to any cache.</summary>
public static class TaggedCacheExtensions
{
    /// <summary>
    /// <paramref name="cache"/> with tags: <c>SetAsync(key, value, tags)</c>, <c>GetOrSetAsync(key, factory, tags)</c>
    /// and <c>RemoveByTagAsync(tag)</c> (see <see cref="TaggedCache"/>). A cache that is tagged already is returned as it is.
    /// </summary>
    /// <param name="cache">The cache that stores the entries and the tags' stamps.</param>
    /// <param name="serializer">Turns values into bytes (<see cref="JsonCacheSerializer.Instance"/> when omitted); give the backend's own if it has another.</param>
    public static ITaggedCache WithTags(this ICache cache, ICacheSerializer? serializer = null) =>
        Guard.NotNull(cache, nameof(cache)) as ITaggedCache ?? new TaggedCache(cache, serializer);
}
