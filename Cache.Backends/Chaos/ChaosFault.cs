namespace FunctionalCache.Backends.Chaos;

/// <summary>
/// What a <see cref="ChaosCache"/> does to one call. A closed type: exactly <see cref="Pass"/>, <see cref="Fail"/>,
/// <see cref="Delay(TimeSpan)"/> or <see cref="Corrupt"/>.
/// </summary>
/// <remarks>
/// <para><see cref="Fail"/>: the call never reaches the wrapped cache and fails as a backend failure does
/// (<see cref="CacheBackendException"/>; <c>Left(BackendFailure)</c> from a <c>Try…</c> operation).</para>
/// <para><see cref="Delay(TimeSpan)"/>: the call waits first, then goes on; with the chaos cache's timeout, a delay as long
/// as the timeout or longer fails after the timeout instead, as a client that gives up would.</para>
/// <para><see cref="Corrupt"/>: a read finds an entry whose bytes do not decode; other operations pass.</para>
/// </remarks>
public abstract record ChaosFault
{
    private ChaosFault() { }

    /// <summary>The call goes to the wrapped cache unchanged.</summary>
    public static ChaosFault Pass { get; } = new PassCase();

    /// <summary>The call fails as the backend failing would.</summary>
    public static ChaosFault Fail { get; } = new FailCase();

    /// <summary>A read finds bytes that do not decode; any other operation passes.</summary>
    public static ChaosFault Corrupt { get; } = new CorruptCase();

    /// <summary>The call waits <paramref name="span"/>, then goes on (or times out: see <see cref="ChaosCache"/>).</summary>
    /// <exception cref="ArgumentException">The span is negative.</exception>
    public static ChaosFault Delay(TimeSpan span)
    {
        Guard.That(span >= TimeSpan.Zero, nameof(span), "A chaos delay must not be negative.");
        return new DelayCase(span);
    }

    /// <summary>True for <see cref="Pass"/>.</summary>
    public bool IsPass => this is PassCase;

    /// <summary>Folds the four cases into one value.</summary>
    public abstract TResult Match<TResult>(Func<TResult> onPass, Func<TResult> onFail, Func<TimeSpan, TResult> onDelay, Func<TResult> onCorrupt);

    /// <summary>
    /// True when a call given this fault fails on a chaos cache with <paramref name="timeout"/>: <see cref="Fail"/>, or a
    /// delay at least as long as the timeout.
    /// </summary>
    public bool FailsWithin(TimeSpan? timeout) => this switch
    {
        FailCase => true,
        DelayCase d => timeout is { } limit && d.Span >= limit,
        _ => false,
    };

    /// <summary>The <see cref="Pass"/> case.</summary>
    public sealed record PassCase : ChaosFault
    {
        internal PassCase() { }

        /// <inheritdoc/>
        public override TResult Match<TResult>(Func<TResult> onPass, Func<TResult> onFail, Func<TimeSpan, TResult> onDelay, Func<TResult> onCorrupt) => onPass();

        /// <inheritdoc/>
        public override string ToString() => "Pass";
    }

    /// <summary>The <see cref="Fail"/> case.</summary>
    public sealed record FailCase : ChaosFault
    {
        internal FailCase() { }

        /// <inheritdoc/>
        public override TResult Match<TResult>(Func<TResult> onPass, Func<TResult> onFail, Func<TimeSpan, TResult> onDelay, Func<TResult> onCorrupt) => onFail();

        /// <inheritdoc/>
        public override string ToString() => "Fail";
    }

    /// <summary>The <see cref="Delay(TimeSpan)"/> case.</summary>
    public sealed record DelayCase : ChaosFault
    {
        internal DelayCase(TimeSpan span) => Span = span;

        /// <summary>How long the call waits.</summary>
        public TimeSpan Span { get; }

        /// <inheritdoc/>
        public override TResult Match<TResult>(Func<TResult> onPass, Func<TResult> onFail, Func<TimeSpan, TResult> onDelay, Func<TResult> onCorrupt) => onDelay(Span);

        /// <inheritdoc/>
        public override string ToString() => $"Delay({Span.TotalMilliseconds} ms)";
    }

    /// <summary>The <see cref="Corrupt"/> case.</summary>
    public sealed record CorruptCase : ChaosFault
    {
        internal CorruptCase() { }

        /// <inheritdoc/>
        public override TResult Match<TResult>(Func<TResult> onPass, Func<TResult> onFail, Func<TimeSpan, TResult> onDelay, Func<TResult> onCorrupt) => onCorrupt();

        /// <inheritdoc/>
        public override string ToString() => "Corrupt";
    }
}
