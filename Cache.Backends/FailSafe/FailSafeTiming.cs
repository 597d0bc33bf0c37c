namespace FunctionalCache.Backends.FailSafe;

/// <summary>
/// The timeouts one get-or-set writes: the value's (jitter added) and its stale copy's (the value's plus the window).
/// Pure: "now" and the jitter drawn are parameters.
/// </summary>
/// <param name="Value">The timeout of the value, Never or After(span).</param>
/// <param name="Stale">The timeout of the stale copy; None when nothing is stored (a zero or negative timeout).</param>
/// <param name="Written">When the write happens.</param>
/// <param name="LogicalExpiry">When the value expires; null: never.</param>
internal readonly record struct FailSafeTiming(CacheTimeout Value, CacheTimeout? Stale, DateTimeOffset Written, DateTimeOffset? LogicalExpiry)
{
    /// <summary>The timeouts for a write of <paramref name="timeout"/> (Default resolved by <paramref name="policy"/>) at <paramref name="now"/> with <paramref name="jitter"/> added.</summary>
    public static FailSafeTiming Of(CacheTimeout? timeout, CachePolicy policy, TimeSpan maxStale, TimeSpan jitter, DateTimeOffset now)
    {
        var resolved = (timeout ?? CacheTimeout.Default).OrDefault(policy.DefaultTimeout);
        if (resolved is not CacheTimeout.AfterCase after) return new(CacheTimeout.Never, CacheTimeout.Never, now, null);
        // Django's rule: a zero or negative timeout stores nothing, so there is no value to keep a stale copy of either.
        if (after.Span <= TimeSpan.Zero) return new(resolved, null, now, null);
        var span = Plus(after.Span, jitter);
        return new(CacheTimeout.After(span), CacheTimeout.After(Plus(span, maxStale)), now, Deadline(now, span));
    }

    /// <summary>A uniformly drawn jitter between zero and <paramref name="most"/>.</summary>
    public static TimeSpan Draw(TimeSpan most, Func<double> next) =>
        most <= TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromTicks((long)(most.Ticks * next()));

    private static TimeSpan Plus(TimeSpan a, TimeSpan b) => a.Ticks > TimeSpan.MaxValue.Ticks - b.Ticks ? TimeSpan.MaxValue : a + b;

    private static DateTimeOffset? Deadline(DateTimeOffset now, TimeSpan span) =>
        span >= DateTimeOffset.MaxValue - now ? null : now + span;
}
