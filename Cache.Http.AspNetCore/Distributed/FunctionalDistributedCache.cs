using LanguageExt;
using Microsoft.Extensions.Caching.Distributed;

namespace FunctionalCache.Http.Distributed;

/// <summary>
/// ASP.NET Core's <see cref="IDistributedCache"/> over any FunctionalCache <see cref="ICache"/>, so session state,
/// HybridCache (as its L2) and other framework features run on locmem, file, db or memcached.
/// </summary>
/// <remarks>
/// Absolute expirations (relative or absolute) are honoured. Sliding expiration is honoured: the window is stored
/// with the value and every <c>Get</c> or <c>Refresh</c> touches the entry to live one more window, never past an
/// absolute deadline. With neither option the cache's default timeout applies (Django's rule), not "forever".
/// Values are stored as bytes with a 17-byte header; other writers' bytes under the same key read as a miss.
/// The synchronous methods block on the asynchronous ones. Thread-safe when the cache is.
/// </remarks>
public sealed class FunctionalDistributedCache : IDistributedCache
{
    private readonly ICache _cache;
    private readonly TimeProvider _time;

    /// <summary>An adapter over <paramref name="cache"/>; deadlines are computed with <paramref name="time"/> (the system clock by default).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="cache"/> is null.</exception>
    public FunctionalDistributedCache(ICache cache, TimeProvider? time = null)
    {
        _cache = Guard.NotNull(cache, nameof(cache));
        _time = time ?? TimeProvider.System;
    }

    /// <inheritdoc/>
    public byte[]? Get(string key) => GetAsync(key).GetAwaiter().GetResult();

    /// <inheritdoc/>
    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        Guard.NotNull(key, nameof(key));
        var entry = await ReadAsync(key, token).ConfigureAwait(false);
        if (entry is null) return null;
        if (entry.SlidingTicks != 0) await SlideAsync(key, entry, token).ConfigureAwait(false);
        return entry.Value;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The absolute expiration date is not in the future.</exception>
    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => SetAsync(key, value, options).GetAwaiter().GetResult();

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The absolute expiration date is not in the future.</exception>
    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        Guard.NotNull(key, nameof(key));
        Guard.NotNull(value, nameof(value));
        Guard.NotNull(options, nameof(options));
        var now = _time.GetUtcNow();
        // The options type itself refuses a relative or sliding span that is not positive.
        Guard.That(options.AbsoluteExpiration is not { } at || at > now, nameof(options), "AbsoluteExpiration must be in the future.");
        DateTimeOffset? deadline = options.AbsoluteExpirationRelativeToNow is { } r ? now + r : options.AbsoluteExpiration;
        var entry = new DistributedEntry(deadline?.UtcTicks ?? 0, options.SlidingExpiration?.Ticks ?? 0, value);
        var timeout = entry.LifetimeFrom(now).Match(CacheTimeout.After, () => CacheTimeout.Default);
        return _cache.SetAsync(key, entry.Encode(), timeout, cancellationToken: token);
    }

    /// <inheritdoc/>
    public void Refresh(string key) => RefreshAsync(key).GetAwaiter().GetResult();

    /// <inheritdoc/>
    public async Task RefreshAsync(string key, CancellationToken token = default)
    {
        Guard.NotNull(key, nameof(key));
        var entry = await ReadAsync(key, token).ConfigureAwait(false);
        if (entry is { SlidingTicks: not 0 }) await SlideAsync(key, entry, token).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public void Remove(string key) => RemoveAsync(key).GetAwaiter().GetResult();

    /// <inheritdoc/>
    public Task RemoveAsync(string key, CancellationToken token = default)
    {
        Guard.NotNull(key, nameof(key));
        return _cache.DeleteAsync(key, cancellationToken: token);
    }

    private async Task<DistributedEntry?> ReadAsync(string key, CancellationToken token)
    {
        var bytes = await _cache.GetAsync<byte[]?>(key, cancellationToken: token).ConfigureAwait(false);
        // An entry is never null: a null under the key (someone else's write) is a miss.
        var stored = bytes.IfNoneUnsafe(default(byte[]));
        return stored is null ? null : DistributedEntry.Decode(stored).MatchUnsafe(e => e, () => null);
    }

    private Task SlideAsync(string key, DistributedEntry entry, CancellationToken token) =>
        entry.LifetimeFrom(_time.GetUtcNow()).Match(
            lifetime => _cache.TouchAsync(key, CacheTimeout.After(lifetime), cancellationToken: token),
            () => Task.CompletedTask);
}
