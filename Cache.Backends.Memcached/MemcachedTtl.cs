namespace FunctionalCache.Backends.Memcached;

/// <summary>
/// Expiry → memcached's <c>exptime</c>: 0 for never, whole seconds up to 30 days, a Unix time beyond.
/// Pure: both clocks are arguments.
/// </summary>
/// <remarks>
/// memcached counts time in whole seconds, so the span left is rounded <b>up</b> to a whole second (never
/// down to 0, which would mean "never expires"); an entry may therefore live up to a second past its
/// deadline, and memcached's own second ticks may end it up to a second early. Django's rule for spans over
/// 30 days (2 592 000 s): send the absolute Unix time, computed on the real clock the server shares.
/// A deliberate difference: Django truncates with <c>int()</c> (1.5 s is sent as 1, and 0.5 s as -1, which
/// stores nothing); rounding up keeps the entry within a second of its deadline on either side, and never turns
/// a positive timeout into "store nothing" or into 0 ("never expires"). Checked against the memcached column of
/// Django's recorded timeouts (backend_timeouts.json).
/// </remarks>
internal static class MemcachedTtl
{
    /// <summary>memcached's limit for relative TTLs: 30 days, in seconds.</summary>
    public const long MaxRelativeSeconds = 2_592_000;

    /// <summary>
    /// The <c>exptime</c> for <paramref name="expiry"/> written at <paramref name="now"/> (the cache's clock),
    /// with <paramref name="unixNow"/> the server's wall clock in Unix seconds.
    /// </summary>
    public static long Of(Expiry expiry, DateTimeOffset now, long unixNow)
    {
        if (expiry.IsNever) return 0;
        var ticks = Math.Max(1, expiry.UtcTicks - now.UtcTicks);
        var seconds = (ticks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond;
        return seconds <= MaxRelativeSeconds ? seconds : unixNow + seconds;
    }
}
