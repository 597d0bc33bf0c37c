using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache;

/// <summary>
/// The instant an entry stops being visible, or never. Pure expiry maths: "now" is always an argument.
/// </summary>
/// <remarks>
/// The law every backend keeps: an entry written at <c>t0</c> with <c>After(d)</c> is visible at every
/// instant strictly before <c>t0 + d</c> and gone from <c>t0 + d</c> on (Django's locmem rule,
/// <c>expiry &lt;= now</c> means expired).
/// </remarks>
/// <param name="UtcTicks">The deadline in UTC ticks; <see cref="long.MaxValue"/> for never.</param>
public readonly record struct Expiry(long UtcTicks)
{
    /// <summary>The entry never expires.</summary>
    public static Expiry Never => new(long.MaxValue);

    /// <summary>True when the entry never expires.</summary>
    public bool IsNever => UtcTicks == long.MaxValue;

    /// <summary>The deadline as an instant; <see cref="DateTimeOffset.MaxValue"/> for never.</summary>
    public DateTimeOffset At => IsNever ? DateTimeOffset.MaxValue : new DateTimeOffset(UtcTicks, TimeSpan.Zero);

    /// <summary>True when the entry is gone at <paramref name="now"/>.</summary>
    public bool IsExpiredAt(DateTimeOffset now) => now.UtcTicks >= UtcTicks;

    /// <summary>True when the entry is gone at <paramref name="nowUtcTicks"/> (UTC ticks).</summary>
    public bool IsExpiredAt(long nowUtcTicks) => nowUtcTicks >= UtcTicks;

    /// <summary>Time left at <paramref name="now"/>: None when the entry never expires, zero once it is gone.</summary>
    public Option<TimeSpan> RemainingAt(DateTimeOffset now) =>
        IsNever ? None : Some(TimeSpan.FromTicks(Math.Max(0, UtcTicks - now.UtcTicks)));

    /// <summary>
    /// The expiry of an entry written at <paramref name="now"/> with <paramref name="timeout"/>;
    /// <see cref="CacheTimeout.Default"/> stands for <paramref name="policyDefault"/>. None when the
    /// timeout is zero or negative: the entry is expired at once and must not be stored.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="policyDefault"/> is itself <see cref="CacheTimeout.Default"/>.</exception>
    public static Option<Expiry> From(CacheTimeout timeout, CacheTimeout policyDefault, DateTimeOffset now)
    {
        Guard.That(!policyDefault.IsDefault, nameof(policyDefault), "The policy default timeout must be Never or After(span), not Default.");
        return timeout.OrDefault(policyDefault) switch
        {
            CacheTimeout.AfterCase after when after.Span <= TimeSpan.Zero => None,
            CacheTimeout.AfterCase after => Some(new Expiry(Deadline(now.UtcTicks, after.Span.Ticks))),
            _ => Some(Never),
        };
    }

    /// <summary>
    /// A span so long that the deadline falls past the calendar saturates to the calendar's last tick,
    /// not Never, so <see cref="At"/> stays a representable instant.
    /// </summary>
    private static long Deadline(long now, long span) =>
        span >= DateTimeOffset.MaxValue.UtcTicks - now ? DateTimeOffset.MaxValue.UtcTicks : now + span;

    /// <inheritdoc/>
    public override string ToString() => IsNever ? "Never" : At.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
}
