namespace FunctionalCache.Http;

/// <summary>
/// A stored page's timeline (RFC 5861): fresh until <see cref="FreshUntil"/>, then served while revalidating for
/// <see cref="Windows"/>' <c>Revalidate</c> seconds, then served only on error until its <c>IfError</c> window ends,
/// then expired. Kept inside the stored page (<see cref="CachedResponse.Lifetime"/>), so every node reads the same deadline.
/// </summary>
/// <param name="FreshUntil">The instant the page stops being fresh.</param>
/// <param name="Windows">The stale windows that follow it.</param>
/// <remarks>Pure: "now" is a parameter. Immutable and thread-safe.</remarks>
public sealed record PageLifetime(DateTimeOffset FreshUntil, StaleWindows Windows)
{
    /// <summary>The lifetime of a page stored at <paramref name="storedAt"/> that is fresh for <paramref name="freshSeconds"/>.</summary>
    /// <exception cref="ArgumentNullException">The windows are null.</exception>
    public static PageLifetime Of(DateTimeOffset storedAt, long freshSeconds, StaleWindows windows)
    {
        Guard.NotNull(windows, nameof(windows));
        return new PageLifetime(Add(storedAt, freshSeconds), windows);
    }

    /// <summary>
    /// How long the page must stay in the cache: its freshness plus the longer stale window, saturating at
    /// <see cref="long.MaxValue"/> (what the backend is given as the entry's timeout).
    /// </summary>
    public static long StoreSeconds(long freshSeconds, StaleWindows windows)
    {
        Guard.NotNull(windows, nameof(windows));
        var extra = windows.Longest;
        return freshSeconds > long.MaxValue - extra ? long.MaxValue : freshSeconds + extra;
    }

    /// <summary>The end of the <c>stale-while-revalidate</c> window (<see cref="FreshUntil"/> when there is none).</summary>
    public DateTimeOffset RevalidateUntil => Add(FreshUntil, Windows.Revalidate);

    /// <summary>The end of the <c>stale-if-error</c> window (<see cref="FreshUntil"/> when there is none).</summary>
    public DateTimeOffset IfErrorUntil => Add(FreshUntil, Windows.IfError);

    /// <summary>
    /// The page's state at <paramref name="now"/>: <see cref="PageFreshness.Fresh"/> before <see cref="FreshUntil"/>;
    /// <see cref="PageFreshness.StaleWhileRevalidate"/> from there until <see cref="RevalidateUntil"/>;
    /// <see cref="PageFreshness.StaleIfError"/> from the later of the two until <see cref="IfErrorUntil"/>;
    /// <see cref="PageFreshness.Expired"/> from then on. Each bound belongs to the later state (half-open intervals),
    /// so the states partition the timeline and never go back as time advances. Where both windows cover an instant,
    /// revalidation wins: the page is served at once and a failing refresh leaves it in place.
    /// </summary>
    public PageFreshness At(DateTimeOffset now) =>
        now < FreshUntil ? PageFreshness.Fresh
        : now < RevalidateUntil ? PageFreshness.StaleWhileRevalidate
        : now < IfErrorUntil ? PageFreshness.StaleIfError
        : PageFreshness.Expired;

    /// <summary>Seconds of freshness left at <paramref name="now"/>, rounded down; negative once stale (Cache-Status <c>ttl</c>).</summary>
    public long TtlAt(DateTimeOffset now) => (long)Math.Floor((FreshUntil - now).TotalSeconds);

    // Instants past DateTimeOffset's range saturate (a page stored "forever" stays fresh forever); no time is negative.
    private static DateTimeOffset Add(DateTimeOffset at, long seconds)
    {
        if (seconds <= 0) return at;
        var room = (DateTimeOffset.MaxValue - at).TotalSeconds;
        return seconds >= room ? DateTimeOffset.MaxValue : at.AddSeconds(seconds);
    }
}
