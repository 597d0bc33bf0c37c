namespace FunctionalCache.Backends.FailSafe;

/// <summary>Wraps a cache in a <see cref="FailSafeCache"/>: <c>cache.WithFailSafe(FailSafeOptions.For(TimeSpan.FromHours(1)))</c>.</summary>
public static class FailSafeCacheExtensions
{
    /// <summary>This cache, with fail-safe and the other behaviours <paramref name="options"/> turns on.</summary>
    /// <param name="cache">The cache that stores values and their stale copies.</param>
    /// <param name="options">The window, timeouts, refresh threshold and jitter.</param>
    /// <param name="context">The clock and logger (give the wrapped cache's); the wrapped backend's when omitted.</param>
    public static FailSafeCache WithFailSafe(this ICache cache, FailSafeOptions options, CacheContext? context = null) =>
        new(cache, options, context);

    /// <summary>This cache, keeping values <paramref name="maxStale"/> past their expiry for get-or-set to fall back on.</summary>
    public static FailSafeCache WithFailSafe(this ICache cache, TimeSpan maxStale) =>
        new(cache, FailSafeOptions.For(maxStale));
}
