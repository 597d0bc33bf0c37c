using LanguageExt;

namespace FunctionalCache.Backends;

public abstract partial class CacheBase
{
    /// <inheritdoc/>
    /// <remarks>A plain dictionary: no first-call set-up cost, and a stored null is kept as a hit.</remarks>
    public virtual async Task<IReadOnlyDictionary<string, T>> GetManyAsync<T>(IEnumerable<string> keys, int? version = null, CancellationToken cancellationToken = default)
    {
        var cacheKeys = Keys(keys, version);
        var payloads = await ReadMany(cacheKeys, FailuresAreMisses, cancellationToken).ConfigureAwait(false);
        var hits = new Dictionary<string, T>(cacheKeys.Count, StringComparer.Ordinal);
        for (var i = 0; i < cacheKeys.Count; i++)
        {
            if (payloads[i].IsNone) continue;
            hits[cacheKeys[i].Key] = Decode<T>(payloads[i].IfNone(StoredNull.Instance));
        }
        return hits;
    }

    /// <inheritdoc/>
    public virtual async Task<Seq<string>> SetManyAsync<T>(IEnumerable<KeyValuePair<string, T>> items, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(items, nameof(items));
        var encoded = items.Select(item => (Key(item.Key, version), Encode(item.Value))).ToList();
        var expiry = ExpiryOf(timeout);
        if (expiry.IsNone)
        {
            await RemoveMany(encoded.ConvertAll(item => item.Item1), FailuresAreMisses, cancellationToken).ConfigureAwait(false);
            return Seq<string>.Empty;
        }
        var refused = await WriteMany(encoded, expiry.IfNone(Expiry.Never), FailuresAreMisses, cancellationToken).ConfigureAwait(false);
        return refused.Map(key => key.Key);
    }

    /// <inheritdoc/>
    public virtual async Task DeleteManyAsync(IEnumerable<string> keys, int? version = null, CancellationToken cancellationToken = default) =>
        await RemoveMany(Keys(keys, version), FailuresAreMisses, cancellationToken).ConfigureAwait(false);

    // A plain loop: LINQ over the CacheKey struct is a generic instantiation the JIT compiles on a process's first call.
    private List<CacheKey> Keys(IEnumerable<string> keys, int? version)
    {
        var made = keys is IReadOnlyCollection<string> sized ? new List<CacheKey>(sized.Count) : [];
        foreach (var key in Guard.NotNull(keys, nameof(keys))) made.Add(Key(key, version));
        return made;
    }
}
