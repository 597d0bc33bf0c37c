namespace FunctionalCache.Backends.FailSafe;

/// <summary>
/// How a <see cref="FailSafeCache"/> behaves: how long a value stays usable past its expiry (<see cref="MaxStale"/>), how long
/// get-or-set waits for a factory before it answers from that value (<see cref="SoftTimeout"/>, <see cref="HardTimeout"/>),
/// when a hit starts a background refresh (<see cref="EagerRefresh"/>) and how much random time is added to the timeouts it
/// writes (<see cref="Jitter"/>). An immutable value: each <c>With…</c> method returns a new one.
/// </summary>
/// <remarks>
/// Only <see cref="MaxStale"/> is on by default; the others are off until set. <see cref="Validate"/> collects every problem,
/// and the constructor of <see cref="FailSafeCache"/> throws with all of them.
/// </remarks>
public sealed record FailSafeOptions
{
    private FailSafeOptions(TimeSpan maxStale, TimeSpan? softTimeout, TimeSpan? hardTimeout, double? eagerRefresh, TimeSpan jitter, Random? jitterRandom, TimeSpan throttle = default)
    {
        Throttle = throttle;
        MaxStale = maxStale;
        SoftTimeout = softTimeout;
        HardTimeout = hardTimeout;
        EagerRefresh = eagerRefresh;
        Jitter = jitter;
        JitterRandom = jitterRandom;
    }

    /// <summary>Fail-safe with a window of <paramref name="maxStale"/> and nothing else.</summary>
    /// <exception cref="ArgumentException">The window is not positive (see <see cref="Validate"/>).</exception>
    public static FailSafeOptions For(TimeSpan maxStale) => Checked(new(maxStale, null, null, null, TimeSpan.Zero, null));

    /// <summary>How long past its logical expiry a value get-or-set stored can still answer a failing factory or inner cache.</summary>
    public TimeSpan MaxStale { get; }

    /// <summary>How long get-or-set waits for a factory before answering from a stale value, when there is one; null: no soft timeout.</summary>
    /// <value>Null. The factory keeps running in the background and its value is stored.</value>
    public TimeSpan? SoftTimeout { get; }

    /// <summary>How long get-or-set waits at most: then it answers from a stale value or throws <see cref="TimeoutException"/>; null: no limit.</summary>
    /// <value>Null. The factory keeps running in the background and its value is stored.</value>
    public TimeSpan? HardTimeout { get; }

    /// <summary>The share of an entry's duration (0 &lt; x &lt; 1) after which a get-or-set hit starts one background refresh; null: off.</summary>
    /// <value>Null.</value>
    public double? EagerRefresh { get; }

    /// <summary>The most random time added to each timeout get-or-set writes (0 to this, uniformly), so that entries written together do not all expire together.</summary>
    /// <value>Zero.</value>
    public TimeSpan Jitter { get; }

    /// <summary>Where jitter draws from; null: <see cref="Random.Shared"/>. A seeded <see cref="Random"/> makes jitter repeatable in tests.</summary>
    public Random? JitterRandom { get; }

    /// <summary>
    /// How long a stale value that answered a failed get-or-set is stored as the live value, so the calls that follow are
    /// hits instead of asking a failing factory again; zero: every call asks the factory. Never past the fail-safe window.
    /// </summary>
    /// <value>Zero.</value>
    public TimeSpan Throttle { get; }

    /// <summary>These options with a throttle (see <see cref="Throttle"/>).</summary>
    public FailSafeOptions WithThrottle(TimeSpan throttle)
    {
        Guard.That(throttle >= TimeSpan.Zero, nameof(throttle), "throttle must not be negative.");
        return new(MaxStale, SoftTimeout, HardTimeout, EagerRefresh, Jitter, JitterRandom, throttle);
    }

    /// <summary>These options with another fail-safe window.</summary>
    public FailSafeOptions WithMaxStale(TimeSpan maxStale) => Checked(new(maxStale, SoftTimeout, HardTimeout, EagerRefresh, Jitter, JitterRandom, Throttle));

    /// <summary>These options with a soft timeout (null: none).</summary>
    public FailSafeOptions WithSoftTimeout(TimeSpan? softTimeout) => Checked(new(MaxStale, softTimeout, HardTimeout, EagerRefresh, Jitter, JitterRandom, Throttle));

    /// <summary>These options with a hard timeout (null: none).</summary>
    public FailSafeOptions WithHardTimeout(TimeSpan? hardTimeout) => Checked(new(MaxStale, SoftTimeout, hardTimeout, EagerRefresh, Jitter, JitterRandom, Throttle));

    /// <summary>These options with eager refresh at <paramref name="threshold"/> of an entry's duration (null: off).</summary>
    public FailSafeOptions WithEagerRefresh(double? threshold) => Checked(new(MaxStale, SoftTimeout, HardTimeout, threshold, Jitter, JitterRandom, Throttle));

    /// <summary>These options with up to <paramref name="jitter"/> added to each timeout get-or-set writes.</summary>
    public FailSafeOptions WithJitter(TimeSpan jitter) => Checked(new(MaxStale, SoftTimeout, HardTimeout, EagerRefresh, jitter, JitterRandom, Throttle));

    /// <summary>These options with jitter drawn from <paramref name="random"/> (null: <see cref="Random.Shared"/>).</summary>
    public FailSafeOptions WithJitterRandom(Random? random) => new(MaxStale, SoftTimeout, HardTimeout, EagerRefresh, Jitter, random, Throttle);

    /// <summary>Every problem with these values, one line each; empty when they are valid.</summary>
    public static IReadOnlyList<string> Validate(TimeSpan maxStale, TimeSpan? softTimeout, TimeSpan? hardTimeout, double? eagerRefresh, TimeSpan jitter)
    {
        var problems = new List<string>();
        if (maxStale <= TimeSpan.Zero) problems.Add("max_stale must be positive.");
        if (softTimeout is { } soft && soft <= TimeSpan.Zero) problems.Add("soft_timeout must be positive.");
        if (hardTimeout is { } hard && hard <= TimeSpan.Zero) problems.Add("hard_timeout must be positive.");
        if (softTimeout is { } s && hardTimeout is { } h && h < s) problems.Add("hard_timeout must not be shorter than soft_timeout.");
        if (eagerRefresh is { } e && !(e > 0 && e < 1)) problems.Add("eager_refresh must be a share of the duration between 0 and 1, both excluded.");
        if (jitter < TimeSpan.Zero) problems.Add("jitter must not be negative.");
        return problems;
    }

    private static FailSafeOptions Checked(FailSafeOptions options)
    {
        var problems = Validate(options.MaxStale, options.SoftTimeout, options.HardTimeout, options.EagerRefresh, options.Jitter);
        Guard.That(problems.Count == 0, "options", "Invalid fail-safe options:\n" + string.Join("\n", problems.Select(p => "  " + p)));
        return options;
    }
}
