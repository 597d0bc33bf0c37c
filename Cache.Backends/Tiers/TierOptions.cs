using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends.Tiers;

/// <summary>
/// How a <see cref="TieredCache"/> keeps its in-process level (L1) in step with the shared one (L2): how long L1
/// copies may live, and the backplane that tells the other nodes about changes. An immutable value: <c>With…</c>
/// methods return a changed copy.
/// </summary>
/// <remarks>
/// An L1 copy lives the shortest of: the L2 entry's remaining lifetime (or the timeout the write used),
/// <see cref="L1MaxDuration"/>, and <see cref="BackplaneDownL1Timeout"/> while a configured backplane is disconnected.
/// When the L2 cannot tell an entry's remaining lifetime (memcached), a copy filled by a read lives at most
/// <see cref="UnknownLifetimeL1Timeout"/>: the bound on how long it may outlive the L2 entry.
/// </remarks>
public sealed record TierOptions
{
    /// <summary>Five minutes in L1 at most, a 5 s fallback for unknown lifetimes and while the backplane is down, no backplane, failures answered as misses.</summary>
    public static TierOptions Default { get; } = new(TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), None, true, "");

    private TierOptions(TimeSpan l1MaxDuration, TimeSpan unknownLifetimeL1Timeout, TimeSpan backplaneDownL1Timeout, Option<IBackplane> backplane, bool failuresAreMisses, string nodeId)
    {
        Guard.That(l1MaxDuration > TimeSpan.Zero, nameof(l1MaxDuration), "L1MaxDuration must be positive.");
        Guard.That(unknownLifetimeL1Timeout > TimeSpan.Zero, nameof(unknownLifetimeL1Timeout), "UnknownLifetimeL1Timeout must be positive.");
        Guard.That(backplaneDownL1Timeout > TimeSpan.Zero, nameof(backplaneDownL1Timeout), "BackplaneDownL1Timeout must be positive.");
        Guard.That(!nodeId.Contains('|', StringComparison.Ordinal), nameof(nodeId), "A node id must not contain '|'.");
        L1MaxDuration = l1MaxDuration;
        UnknownLifetimeL1Timeout = unknownLifetimeL1Timeout;
        BackplaneDownL1Timeout = backplaneDownL1Timeout;
        Backplane = backplane;
        FailuresAreMisses = failuresAreMisses;
        NodeId = nodeId;
    }

    /// <summary>The longest an L1 copy lives, whatever the L2 entry's lifetime: the staleness bound without a backplane.</summary>
    /// <value>5 minutes.</value>
    public TimeSpan L1MaxDuration { get; }

    /// <summary>How long a copy filled from an L2 that cannot tell its entries' remaining lifetime lives in L1.</summary>
    /// <value>5 seconds.</value>
    public TimeSpan UnknownLifetimeL1Timeout { get; }

    /// <summary>The longest a new L1 copy lives while the backplane is disconnected (messages may be missed meanwhile).</summary>
    /// <value>5 seconds.</value>
    public TimeSpan BackplaneDownL1Timeout { get; }

    /// <summary>The backplane changes are published on and heard from; None: L1 copies go stale on other nodes for up to <see cref="L1MaxDuration"/>.</summary>
    /// <value>None.</value>
    public Option<IBackplane> Backplane { get; }

    /// <summary>True: an L2 failure in a plain operation is logged and answered as a miss (or false, or a dropped write), never thrown. The <c>Try…</c> operations always answer it as a value.</summary>
    /// <value>True.</value>
    public bool FailuresAreMisses { get; }

    /// <summary>This node's name on the backplane; empty: a fresh random id per cache.</summary>
    /// <value>Empty.</value>
    public string NodeId { get; }

    /// <summary>A copy with another L1 maximum duration.</summary>
    /// <exception cref="ArgumentException">The span is not positive.</exception>
    public TierOptions WithL1MaxDuration(TimeSpan span) => new(span, UnknownLifetimeL1Timeout, BackplaneDownL1Timeout, Backplane, FailuresAreMisses, NodeId);

    /// <summary>A copy with another timeout for copies whose L2 lifetime is unknown.</summary>
    /// <exception cref="ArgumentException">The span is not positive.</exception>
    public TierOptions WithUnknownLifetimeL1Timeout(TimeSpan span) => new(L1MaxDuration, span, BackplaneDownL1Timeout, Backplane, FailuresAreMisses, NodeId);

    /// <summary>A copy with another timeout for copies made while the backplane is down.</summary>
    /// <exception cref="ArgumentException">The span is not positive.</exception>
    public TierOptions WithBackplaneDownL1Timeout(TimeSpan span) => new(L1MaxDuration, UnknownLifetimeL1Timeout, span, Backplane, FailuresAreMisses, NodeId);

    /// <summary>A copy that publishes on and listens to <paramref name="backplane"/>.</summary>
    public TierOptions WithBackplane(IBackplane backplane) => new(L1MaxDuration, UnknownLifetimeL1Timeout, BackplaneDownL1Timeout, Some(Guard.NotNull(backplane, nameof(backplane))), FailuresAreMisses, NodeId);

    /// <summary>A copy with no backplane.</summary>
    public TierOptions WithoutBackplane() => new(L1MaxDuration, UnknownLifetimeL1Timeout, BackplaneDownL1Timeout, None, FailuresAreMisses, NodeId);

    /// <summary>A copy that answers L2 failures as misses (true) or lets them through (false).</summary>
    public TierOptions WithFailuresAreMisses(bool failuresAreMisses) => new(L1MaxDuration, UnknownLifetimeL1Timeout, BackplaneDownL1Timeout, Backplane, failuresAreMisses, NodeId);

    /// <summary>A copy with another node id.</summary>
    /// <exception cref="ArgumentException">The id contains <c>|</c>.</exception>
    public TierOptions WithNodeId(string nodeId) => new(L1MaxDuration, UnknownLifetimeL1Timeout, BackplaneDownL1Timeout, Backplane, FailuresAreMisses, Guard.NotNull(nodeId, nameof(nodeId)));
}
