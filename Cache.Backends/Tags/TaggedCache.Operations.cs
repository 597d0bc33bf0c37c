using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends.Tags;

// RS0026: see TaggedCache.Tags.cs.
#pragma warning disable RS0026
public sealed partial class TaggedCache
{
    /// <inheritdoc/>
    public Task<OptionUnsafe<T>> GetAsync<T>(string key, int? version = null, CancellationToken cancellationToken = default) =>
        LiveValueAsync<T>(key, version, cancellationToken);

    /// <inheritdoc/>
    public async Task<T> GetOrDefaultAsync<T>(string key, T defaultValue, int? version = null, CancellationToken cancellationToken = default) =>
        (await LiveValueAsync<T>(key, version, cancellationToken).ConfigureAwait(false)).IfNoneUnsafe(defaultValue);

    /// <inheritdoc/>
    public Task SetAsync<T>(string key, T value, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default) =>
        _inner.SetAsync(key, Encode(value), timeout, version, cancellationToken);

    /// <inheritdoc/>
    public async Task<bool> AddAsync<T>(string key, T value, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default) =>
        await AddBytesAsync(key, Encode(value), timeout, version, cancellationToken).ConfigureAwait(false);

    // An entry whose tag was evicted counts as absent: it is removed so the add can take its place.
    private async Task<bool> AddBytesAsync(string key, byte[]? bytes, CacheTimeout? timeout, int? version, CancellationToken cancellationToken)
    {
        if (await _inner.AddAsync(key, bytes, timeout, version, cancellationToken).ConfigureAwait(false)) return true;
        var existing = await ReadAsync(key, version, cancellationToken).ConfigureAwait(false);
        if (!existing.Evicted) return false;
        await _inner.DeleteAsync(key, version, cancellationToken).ConfigureAwait(false);
        return await _inner.AddAsync(key, bytes, timeout, version, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyDictionary<string, T>> GetManyAsync<T>(IEnumerable<string> keys, int? version = null, CancellationToken cancellationToken = default)
    {
        var raw = await _inner.GetManyAsync<byte[]>(Guard.NotNull(keys, nameof(keys)), version, cancellationToken).ConfigureAwait(false);
        var envelopes = raw.Where(p => p.Value is not null && TaggedEntry.IsEnvelope(p.Value))
            .ToDictionary(p => p.Key, p => TaggedEntry.Decode(p.Value), StringComparer.Ordinal);
        var stamps = await ReadStampsAsync(envelopes.Values.SelectMany(e => e.Stamps.Select(s => s.Tag)), cancellationToken).ConfigureAwait(false);
        var hits = new Dictionary<string, T>(raw.Count, StringComparer.Ordinal);
        foreach (var (key, bytes) in raw)
        {
            var stored = envelopes.TryGetValue(key, out var envelope)
                ? new Stored(true, IsLive(envelope, stamps), bytes, envelope)
                : new Stored(true, true, bytes, null);
            if (stored.Live) hits[key] = Decode<T>(stored);
        }
        return hits;
    }

    /// <inheritdoc/>
    public Task<Seq<string>> SetManyAsync<T>(IEnumerable<KeyValuePair<string, T>> items, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default) =>
        _inner.SetManyAsync(Guard.NotNull(items, nameof(items)).Select(p => KeyValuePair.Create(p.Key, Encode(p.Value))).ToList(), timeout, version, cancellationToken);

    /// <inheritdoc/>
    /// <remarks>One call to the inner cache (so a bad key warns once): a tag-evicted entry still stored is removed and answers true.</remarks>
    public Task<bool> DeleteAsync(string key, int? version = null, CancellationToken cancellationToken = default) =>
        _inner.DeleteAsync(key, version, cancellationToken);

    /// <inheritdoc/>
    public Task DeleteManyAsync(IEnumerable<string> keys, int? version = null, CancellationToken cancellationToken = default) =>
        _inner.DeleteManyAsync(keys, version, cancellationToken);

    /// <inheritdoc/>
    public async Task<bool> HasKeyAsync(string key, int? version = null, CancellationToken cancellationToken = default) =>
        (await ReadAsync(key, version, cancellationToken).ConfigureAwait(false)).Live;

    /// <inheritdoc/>
    /// <remarks>One call to the inner cache: a tag-evicted entry still stored gets the new expiry and answers true, but stays a miss.</remarks>
    public Task<bool> TouchAsync(string key, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default) =>
        _inner.TouchAsync(key, timeout, version, cancellationToken);

    /// <inheritdoc/>
    /// <remarks>Untagged counters count as on the inner cache; a tagged entry (live or evicted) answers <see cref="CacheError.NotAnInteger"/>.</remarks>
    public Task<Either<CacheError, long>> IncrementAsync(string key, long delta = 1, int? version = null, CancellationToken cancellationToken = default) =>
        _inner.IncrementAsync(key, delta, version, cancellationToken);

    /// <inheritdoc/>
    /// <remarks>As <see cref="IncrementAsync"/>.</remarks>
    public Task<Either<CacheError, long>> DecrementAsync(string key, long delta = 1, int? version = null, CancellationToken cancellationToken = default) =>
        _inner.DecrementAsync(key, delta, version, cancellationToken);

    /// <inheritdoc/>
    public async Task<Either<CacheError, int>> IncrementVersionAsync(string key, int delta = 1, int? version = null, CancellationToken cancellationToken = default) =>
        (await ReadAsync(key, version, cancellationToken).ConfigureAwait(false)).Evicted
            ? Left<CacheError, int>(new CacheError.KeyNotFound(key))
            : await _inner.IncrementVersionAsync(key, delta, version, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async Task<Either<CacheError, int>> DecrementVersionAsync(string key, int delta = 1, int? version = null, CancellationToken cancellationToken = default) =>
        (await ReadAsync(key, version, cancellationToken).ConfigureAwait(false)).Evicted
            ? Left<CacheError, int>(new CacheError.KeyNotFound(key))
            : await _inner.DecrementVersionAsync(key, delta, version, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public Task<T> GetOrSetAsync<T>(string key, Func<CancellationToken, Task<T>> factory, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default) =>
        GetOrSetCoreAsync(key, factory, [], timeout, version, cancellationToken);

    /// <inheritdoc/>
    public Task ClearAsync(CancellationToken cancellationToken = default) => _inner.ClearAsync(cancellationToken);
}
