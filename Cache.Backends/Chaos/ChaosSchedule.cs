using System.Globalization;

namespace FunctionalCache.Backends.Chaos;

/// <summary>
/// When a <see cref="ChaosCache"/> injects which fault: a pure function of the call's number (1 for the cache's first
/// call, 2 for the next, …) and its <see cref="ChaosOperation"/>. Immutable; built from the built-ins and combined with
/// <see cref="Or"/> and <see cref="Only(ChaosOperation[])"/>.
/// </summary>
/// <remarks>
/// <see cref="Decide"/> never reads a clock or shared state, so a schedule gives the same fault for the same call every
/// time, in every process: a failing resilience test replays exactly. <see cref="AtRate(double, int)"/> is random in the
/// sense of a hash of (seed, call number), not of a generator that advances. Thread-safe.
/// </remarks>
/// <example><c>ChaosSchedule.EveryNth(3).Or(ChaosSchedule.AtRate(0.1, seed: 7, ChaosFault.Delay(TimeSpan.FromSeconds(2))))</c></example>
public sealed class ChaosSchedule
{
    private readonly Func<long, ChaosOperation, ChaosFault> _decide;

    private ChaosSchedule(string description, Func<long, ChaosOperation, ChaosFault> decide)
    {
        Description = description;
        _decide = decide;
    }

    /// <summary>What the schedule does, in words (<c>every 3rd call: Fail</c>); failure messages quote it.</summary>
    public string Description { get; }

    /// <summary>The fault for call number <paramref name="call"/> (from 1), an <paramref name="operation"/>.</summary>
    /// <exception cref="ArgumentException">The call number is below 1.</exception>
    /// <exception cref="InvalidOperationException">A schedule made by <see cref="From"/> returned null.</exception>
    public ChaosFault Decide(long call, ChaosOperation operation)
    {
        Guard.That(call >= 1, nameof(call), "Chaos call numbers start at 1.");
        return _decide(call, operation)
            ?? throw new InvalidOperationException($"The chaos schedule '{Description}' returned null; return ChaosFault.Pass for no fault.");
    }

    /// <summary>Every call passes: the chaos cache is its wrapped cache.</summary>
    public static ChaosSchedule Calm { get; } = new("calm", static (_, _) => ChaosFault.Pass);

    /// <summary>Every call gets <paramref name="fault"/>.</summary>
    public static ChaosSchedule Always(ChaosFault fault)
    {
        Guard.NotNull(fault, nameof(fault));
        return new($"every call: {fault}", (_, _) => fault);
    }

    /// <summary>Calls <paramref name="n"/>, 2·<paramref name="n"/>, 3·<paramref name="n"/>, … fail.</summary>
    /// <exception cref="ArgumentException"><paramref name="n"/> is below 1.</exception>
    public static ChaosSchedule EveryNth(long n) => EveryNth(n, ChaosFault.Fail);

    /// <summary>Calls <paramref name="n"/>, 2·<paramref name="n"/>, 3·<paramref name="n"/>, … get <paramref name="fault"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="n"/> is below 1.</exception>
    public static ChaosSchedule EveryNth(long n, ChaosFault fault)
    {
        Guard.That(n >= 1, nameof(n), "A chaos schedule's 'every Nth call' needs N of at least 1.");
        Guard.NotNull(fault, nameof(fault));
        return new($"every {Nth(n)}call: {fault}", (call, _) => call % n == 0 ? fault : ChaosFault.Pass);
    }

    /// <summary>Each call fails with probability <paramref name="rate"/>, drawn from <paramref name="seed"/> and the call's number.</summary>
    /// <exception cref="ArgumentException">The rate is not between 0 and 1.</exception>
    public static ChaosSchedule AtRate(double rate, int seed) => AtRate(rate, seed, ChaosFault.Fail);

    /// <summary>Each call gets <paramref name="fault"/> with probability <paramref name="rate"/>, drawn from <paramref name="seed"/> and the call's number.</summary>
    /// <exception cref="ArgumentException">The rate is not between 0 and 1.</exception>
    /// <remarks>Two schedules with one seed but different faults draw independently, so they can be combined with <see cref="Or"/>.</remarks>
    public static ChaosSchedule AtRate(double rate, int seed, ChaosFault fault)
    {
        Guard.That(rate is >= 0 and <= 1, nameof(rate), "A chaos rate must be between 0 and 1.");
        Guard.NotNull(fault, nameof(fault));
        var salt = fault.Match(static () => 0, static () => 1, static _ => 2, static () => 3);
        return new($"{(rate * 100).ToString("0.###", CultureInfo.InvariantCulture)}% of calls (seed {seed}): {fault}",
            (call, _) => ChaosDraw.Uniform(seed, salt, call) < rate ? fault : ChaosFault.Pass);
    }

    /// <summary>Calls <paramref name="first"/> to <paramref name="last"/> (both included) fail: an outage.</summary>
    /// <exception cref="ArgumentException">The window does not start at 1 or later, or ends before it starts.</exception>
    public static ChaosSchedule Window(long first, long last) => Window(first, last, ChaosFault.Fail);

    /// <summary>Calls <paramref name="first"/> to <paramref name="last"/> (both included) get <paramref name="fault"/>.</summary>
    /// <exception cref="ArgumentException">The window does not start at 1 or later, or ends before it starts.</exception>
    public static ChaosSchedule Window(long first, long last, ChaosFault fault)
    {
        Guard.That(first >= 1, nameof(first), "A chaos window starts at call 1 or later.");
        Guard.That(last >= first, nameof(last), "A chaos window must not end before it starts.");
        Guard.NotNull(fault, nameof(fault));
        return new($"calls {first}-{last}: {fault}", (call, _) => call >= first && call <= last ? fault : ChaosFault.Pass);
    }

    /// <summary>A schedule of your own: <paramref name="decide"/> must be pure (the same fault for the same arguments).</summary>
    public static ChaosSchedule From(string description, Func<long, ChaosOperation, ChaosFault> decide)
    {
        Guard.NotNull(description, nameof(description));
        Guard.NotNull(decide, nameof(decide));
        return new(description, decide);
    }

    /// <summary>This schedule's fault, or <paramref name="other"/>'s where this one passes.</summary>
    public ChaosSchedule Or(ChaosSchedule other)
    {
        Guard.NotNull(other, nameof(other));
        return new($"{Description}; else {other.Description}", (call, operation) =>
        {
            var fault = _decide(call, operation);
            return fault is null || fault.IsPass ? other._decide(call, operation) : fault;
        });
    }

    /// <summary>This schedule for <paramref name="operations"/>; every other operation passes (and still counts as a call).</summary>
    public ChaosSchedule Only(params ChaosOperation[] operations) => Only((IEnumerable<ChaosOperation>)operations);

    /// <summary>This schedule for <paramref name="operations"/>; every other operation passes (and still counts as a call).</summary>
    public ChaosSchedule Only(IEnumerable<ChaosOperation> operations)
    {
        var chosen = Guard.NotNull(operations, nameof(operations)).ToHashSet();
        var names = string.Join(", ", chosen.Order());
        return new($"{Description}, on {names} only", (call, operation) => chosen.Contains(operation) ? _decide(call, operation) : ChaosFault.Pass);
    }

    /// <summary>The <see cref="Description"/>.</summary>
    public override string ToString() => Description;

    // "every call", "every 2nd call", "every 11th call", "every 23rd call".
    private static string Nth(long n) => n == 1 ? "" : n.ToString(CultureInfo.InvariantCulture) + (n % 100 is >= 11 and <= 13 ? "th" : (n % 10) switch
    {
        1 => "st",
        2 => "nd",
        3 => "rd",
        _ => "th",
    }) + " ";
}
