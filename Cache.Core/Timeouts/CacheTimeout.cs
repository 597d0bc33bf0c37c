namespace FunctionalCache;

/// <summary>
/// How long an entry lives: the policy's default, never expiring, or a span after the write.
/// A closed type: exactly <see cref="Default"/>, <see cref="Never"/> or <see cref="After(TimeSpan)"/>.
/// </summary>
/// <remarks>
/// Django's <c>timeout</c> argument: omitted = <see cref="Default"/>, <c>None</c> = <see cref="Never"/>,
/// a number = <see cref="After(TimeSpan)"/>. A zero or negative span means "expired now": nothing is
/// stored, on every backend (Django's 0 → expire-immediately rule).
/// Named <c>CacheTimeout</c>, not <c>Timeout</c>, because <c>System.Threading.Timeout</c> is in every
/// C# file's implicit usings and the short name would be ambiguous for C# callers.
/// </remarks>
public abstract record CacheTimeout
{
    private CacheTimeout() { }

    /// <summary>The owning policy's <see cref="CachePolicy.DefaultTimeout"/>.</summary>
    public static CacheTimeout Default { get; } = new DefaultCase();

    /// <summary>The entry never expires.</summary>
    public static CacheTimeout Never { get; } = new NeverCase();

    /// <summary>The entry expires <paramref name="span"/> after it is written; zero or negative: expired now.</summary>
    public static CacheTimeout After(TimeSpan span) => new AfterCase(span);

    /// <summary>The entry expires after <paramref name="seconds"/> seconds (fractions kept).</summary>
    /// <remarks>
    /// Any finite number is accepted: beyond <see cref="TimeSpan"/>'s range (about 29 000 years) it saturates to
    /// <see cref="TimeSpan.MaxValue"/> (a deadline at the calendar's end) or <see cref="TimeSpan.MinValue"/> (expired
    /// now: nothing is stored), as <see cref="Expiry"/> saturates a deadline past the calendar.
    /// </remarks>
    /// <exception cref="ArgumentException">The number is NaN or infinite (use <see cref="Never"/> for no expiry).</exception>
    public static CacheTimeout Seconds(double seconds)
    {
        Guard.That(double.IsFinite(seconds), nameof(seconds), "Timeout seconds must be a finite number.");
        var ticks = seconds * TimeSpan.TicksPerSecond;
        if (ticks >= TimeSpan.MaxValue.Ticks) return new AfterCase(TimeSpan.MaxValue);
        if (ticks <= TimeSpan.MinValue.Ticks) return new AfterCase(TimeSpan.MinValue);
        return new AfterCase(TimeSpan.FromSeconds(seconds));
    }

    /// <summary>True for <see cref="Default"/>.</summary>
    public bool IsDefault => this is DefaultCase;

    /// <summary>True for <see cref="Never"/>.</summary>
    public bool IsNever => this is NeverCase;

    /// <summary>Folds the three cases into one value.</summary>
    public abstract TResult Match<TResult>(Func<TResult> onDefault, Func<TResult> onNever, Func<TimeSpan, TResult> onAfter);

    /// <summary>This timeout with <see cref="Default"/> replaced by <paramref name="policyDefault"/>.</summary>
    public CacheTimeout OrDefault(CacheTimeout policyDefault) => IsDefault ? policyDefault : this;

    /// <summary>The <see cref="Default"/> case.</summary>
    public sealed record DefaultCase : CacheTimeout
    {
        internal DefaultCase() { }

        /// <inheritdoc/>
        public override TResult Match<TResult>(Func<TResult> onDefault, Func<TResult> onNever, Func<TimeSpan, TResult> onAfter) => onDefault();

        /// <inheritdoc/>
        public override string ToString() => "Default";
    }

    /// <summary>The <see cref="Never"/> case.</summary>
    public sealed record NeverCase : CacheTimeout
    {
        internal NeverCase() { }

        /// <inheritdoc/>
        public override TResult Match<TResult>(Func<TResult> onDefault, Func<TResult> onNever, Func<TimeSpan, TResult> onAfter) => onNever();

        /// <inheritdoc/>
        public override string ToString() => "Never";
    }

    /// <summary>The <see cref="After(TimeSpan)"/> case.</summary>
    public sealed record AfterCase : CacheTimeout
    {
        internal AfterCase(TimeSpan span) => Span = span;

        /// <summary>The span after the write at which the entry expires.</summary>
        public TimeSpan Span { get; }

        /// <inheritdoc/>
        public override TResult Match<TResult>(Func<TResult> onDefault, Func<TResult> onNever, Func<TimeSpan, TResult> onAfter) => onAfter(Span);

        /// <inheritdoc/>
        public override string ToString() => $"After({Span.TotalSeconds}s)";
    }
}
