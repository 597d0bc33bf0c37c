using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends.Tags;

/// <summary>Reads, creates and renews tag stamps in a cache: shared by <see cref="TaggedCache"/> and the page cache.</summary>
internal static class TagStamps
{
    /// <summary>The current nonce of each tag that has a stamp (one get-many); a tag without one is left out.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> ReadAsync(ICache cache, IEnumerable<string> tags, CancellationToken cancellationToken)
    {
        var list = tags.Distinct(StringComparer.Ordinal).ToList();
        var nonces = new Dictionary<string, long>(StringComparer.Ordinal);
        if (list.Count == 0) return nonces;
        var found = await cache.GetManyAsync<byte[]>(list.Select(TagStamp.KeyOf), null, cancellationToken).ConfigureAwait(false);
        foreach (var tag in list)
            if (found.TryGetValue(TagStamp.KeyOf(tag), out var bytes) && TagStamp.Decode(bytes) is { } nonce) nonces[tag] = nonce;
        return nonces;
    }

    /// <summary>The current nonce of every tag, creating the missing stamps (never expiring, unless <paramref name="timeoutOf"/> says otherwise; a concurrent creator's nonce wins).</summary>
    /// <remarks>
    /// Read before the entry is written: an eviction that lands between this read and the write changes a nonce the
    /// entry has already recorded, so the entry reads as evicted, never as a hit after the eviction returned.
    /// </remarks>
    public static async Task<IReadOnlyList<(string Tag, long Nonce)>> ForWriteAsync(ICache cache, IReadOnlyList<string> tags, CancellationToken cancellationToken, Func<string, CacheTimeout>? timeoutOf = null)
    {
        if (tags.Count == 0) return [];
        var nonces = new Dictionary<string, long>(await ReadAsync(cache, tags, cancellationToken).ConfigureAwait(false), StringComparer.Ordinal);
        foreach (var tag in tags.Where(t => !nonces.ContainsKey(t)).Distinct(StringComparer.Ordinal).ToList())
        {
            var fresh = TagStamp.NewNonce();
            if (await cache.AddAsync(TagStamp.KeyOf(tag), TagStamp.Encode(fresh), timeoutOf?.Invoke(tag) ?? CacheTimeout.Never, null, cancellationToken).ConfigureAwait(false))
            {
                nonces[tag] = fresh;
                continue;
            }
            // Another writer created it first; if it cannot be read either, our nonce is recorded and the entry
            // simply never reads as a hit (a miss is always safe).
            var now = await cache.GetAsync<byte[]>(TagStamp.KeyOf(tag), null, cancellationToken).ConfigureAwait(false);
            nonces[tag] = now.Bind(b => TagStamp.Decode(b) is { } n ? SomeUnsafe(n) : OptionUnsafe<long>.None).IfNoneUnsafe(fresh);
        }
        return tags.Select(t => (t, nonces[t])).ToArray();
    }

    /// <summary>Evicts a tag: stores a fresh nonce that never expires; <c>Right</c> only when the backend stored it.</summary>
    public static Task<Either<CacheError, Unit>> EvictAsync(ICache cache, string tag, CancellationToken cancellationToken) =>
        cache.TrySetAsync(TagStamp.KeyOf(tag), TagStamp.Encode(TagStamp.NewNonce()), CacheTimeout.Never, null, cancellationToken);
}
