using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using FunctionalCache.Backends.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionalCache.Backends.Tiers;

/// <summary>
/// An in-process cache (L1) in front of a shared one (L2): reads try L1, then L2, and copy what L2 had into L1;
/// writes go to L2 first and reach L1 only once L2 took them; every change is published on the backplane so the
/// other nodes drop their copies.
/// </summary>
/// <remarks>
/// <para>An L1 copy never outlives its L2 entry: it lives the L2 entry's remaining lifetime (read in the same round
/// trip where the L2 is an <see cref="ICacheEntryLifetime"/>) or the timeout the write used, capped by
/// <see cref="TierOptions"/>. The L2's policy is this cache's policy (prefix, version, default timeout); the L1 is
/// private to the tier and is given explicit versions and timeouts.</para>
/// <para>A read that fills L1 and a write of the same key in this process cannot leave the older value in L1: a
/// write bumps the key's generation, and a fill that sees a newer generation after it wrote drops its copy.</para>
/// <para>Get-or-set runs one factory per key per process across every tier over the same L2 store.</para>
/// <para>Not in Django. Thread-safe when both levels are.</para>
/// </remarks>
public sealed partial class TieredCache : ICache, ICacheFailureSource, IDisposable
{
    private static readonly ConcurrentDictionary<(object Store, string MadeKey), Task<object?>> Flights = new();
    private const int GenerationStripes = 1024;

    private readonly ICache _l1;
    private readonly ICache _l2;
    private readonly ICacheEntryLifetime? _lifetimes;
    private readonly ISyncCache? _syncL1;
    private readonly HitAnswers? _hitAnswers;
    private readonly object _store;
    private readonly bool _defaultKeys;
    private readonly ILogger _logger;
    private readonly IDisposable? _subscription;
    private readonly long[] _generations = new long[GenerationStripes];
    private long _clears;
    private volatile bool _backplaneDown;
    private readonly Lock _connectionLock = new();
    private IDisposable[] _owned = [];

    /// <summary>Puts <paramref name="l1"/> in front of <paramref name="l2"/>.</summary>
    /// <param name="l1">The in-process level, private to this tier (a locmem cache).</param>
    /// <param name="l2">The shared level.</param>
    /// <param name="options">Lifetimes, backplane and failure handling.</param>
    /// <param name="logger">Where L2 and backplane failures, and the key warnings of reads answered by L1 alone, are logged; none when omitted.</param>
    public TieredCache(ICache l1, ICache l2, TierOptions options, ILogger? logger = null)
    {
        _l1 = Guard.NotNull(l1, nameof(l1));
        _l2 = Guard.NotNull(l2, nameof(l2));
        Options = Guard.NotNull(options, nameof(options));
        Guard.That(!ReferenceEquals(l1, l2), nameof(l2), "The two levels of a tiered cache must be different caches.");
        _lifetimes = l2 as ICacheEntryLifetime;
        _syncL1 = l1 as ISyncCache;
        // Only an L1 that hands out the object it holds returns the same value twice; answers to fresh copies would fill
        // the table with one answer per hit.
        _hitAnswers = l1 switch
        {
            LocMem.LocMemCache { Store: LocMem.LocMemStore.Reference } => new HitAnswers(immutableOnly: false),
            LocMem.LocMemCache { HoldsImmutableValues: true } => new HitAnswers(immutableOnly: true),
            _ => null,
        };
        _defaultKeys = CacheKeys.IsDefault(l2.Policy.KeyFunction);
        // Tiers over caches that share one store (two db caches on one table) share their get-or-set flights.
        _store = l2 is CacheBase backend ? backend.StoreIdentity : l2;
        _logger = logger ?? NullLogger.Instance;
        NodeId = options.NodeId.Length > 0 ? options.NodeId : Guid.NewGuid().ToString("N");
        FailuresAreMisses = options.FailuresAreMisses;
        if (options.Backplane.Case is IBackplane backplane)
        {
            _backplaneDown = true;
            _subscription = backplane.Subscribe(OnMessage, OnConnectionChanged);
            // Read after subscribing and under the lock the handler takes: a change announced meanwhile is not lost.
            lock (_connectionLock) _backplaneDown = !backplane.IsConnected;
        }
    }

    /// <summary>The options this tier was made with.</summary>
    public TierOptions Options { get; }

    /// <summary>This node's id on the backplane.</summary>
    public string NodeId { get; }

    /// <summary>The in-process level.</summary>
    public ICache L1 => _l1;

    /// <summary>The shared level.</summary>
    public ICache L2 => _l2;

    /// <summary>True while a configured backplane is disconnected: new L1 copies live at most <see cref="TierOptions.BackplaneDownL1Timeout"/>.</summary>
    public bool BackplaneDown => _backplaneDown;

    /// <inheritdoc/>
    /// <value>The L2's policy.</value>
    public CachePolicy Policy => _l2.Policy;

    /// <inheritdoc/>
    public bool FailuresAreMisses { get; }

    /// <inheritdoc/>
    public event Action<CacheBackendException>? FailureAnswered;

    /// <summary>Stops listening to the backplane; the two levels are the caller's to dispose (unless built from configuration).</summary>
    public void Dispose()
    {
        _subscription?.Dispose();
        foreach (var owned in Interlocked.Exchange(ref _owned, [])) owned.Dispose();
    }

    /// <summary>Makes this tier dispose <paramref name="resources"/> (a backplane, an L2 it was built with) when it is disposed.</summary>
    internal TieredCache Own(params IDisposable[] resources)
    {
        _owned = [.. _owned, .. resources];
        return this;
    }

    // ---- versions, lifetimes, generations --------------------------------------------------------------------

    private int VersionOf(int? version) => version ?? _l2.Policy.Version;

    private CacheTimeout Resolved(CacheTimeout? timeout) => (timeout ?? CacheTimeout.Default).OrDefault(_l2.Policy.DefaultTimeout);

    /// <summary>
    /// The L1 timeout for a copy whose L2 entry lived <paramref name="lifetime"/> (never Default) when the L2 step
    /// began: the time the step took is taken off, so the copy cannot outlive the entry by a round trip.
    /// </summary>
    private CacheTimeout L1Timeout(CacheTimeout lifetime, long started)
    {
        var cap = _backplaneDown && Options.BackplaneDownL1Timeout < Options.L1MaxDuration ? Options.BackplaneDownL1Timeout : Options.L1MaxDuration;
        if (lifetime is not CacheTimeout.AfterCase after) return CacheTimeout.After(cap);
        var left = after.Span - Stopwatch.GetElapsedTime(started);
        return CacheTimeout.After(left < cap ? left : cap);
    }

    private ref long GenerationOf(string key, int version) =>
        ref _generations[(uint)HashCode.Combine(key, version) % GenerationStripes];

    // Why generations: two writers, or a reader filling L1 and a writer, can reach L1 in the other order than they
    // reached L2. Each change bumps its key's generation between its L2 step and its L1 step; an L1 step that sees a
    // change it did not make between its own L2 step and its end drops the copy instead (a miss, never a stale hit).

    /// <summary>The key's generation, the clear count and the time, taken before an L2 step.</summary>
    private Mark MarkOf(string key, int version) => new(Volatile.Read(ref GenerationOf(key, version)), Volatile.Read(ref _clears), Stopwatch.GetTimestamp());

    /// <summary>True when neither the key nor the whole L1 changed since <paramref name="before"/> (with the generation <paramref name="generation"/> expected).</summary>
    private bool Unchanged(string key, int version, long generation, Mark before) =>
        Volatile.Read(ref GenerationOf(key, version)) == generation && Volatile.Read(ref _clears) == before.Clears;

    /// <summary>Marks a change of the key after its L2 step and before its L1 copy is dropped; the new generation.</summary>
    private long Changed(string key, int version) => Interlocked.Increment(ref GenerationOf(key, version));

    /// <summary>Copies a value read from L2 into L1, unless a change of the key overtook the read.</summary>
    private async Task Fill<T>(string key, int version, T value, CacheTimeout lifetime, Mark before, CancellationToken cancellationToken)
    {
        await _l1.SetAsync(key, value, L1Timeout(lifetime, before.Started), version, cancellationToken).ConfigureAwait(false);
        if (!Unchanged(key, version, before.Generation, before)) await _l1.DeleteAsync(key, version, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>After L2 took a write: puts the value in L1, unless another change of the key overlapped this one.</summary>
    private async Task WriteThrough<T>(string key, int version, T value, CacheTimeout lifetime, Mark before, CancellationToken cancellationToken)
    {
        var mine = Changed(key, version);
        if (mine == before.Generation + 1)
        {
            await _l1.SetAsync(key, value, L1Timeout(lifetime, before.Started), version, cancellationToken).ConfigureAwait(false);
            if (Unchanged(key, version, mine, before)) return;
        }
        await _l1.DeleteAsync(key, version, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>What an L2 step began with: the key's generation, the clear count, and the time.</summary>
    private readonly record struct Mark(long Generation, long Clears, long Started);

    /// <summary>After L2 changed or may have changed the key: drops the L1 copy.</summary>
    private Task Invalidate(string key, int version)
    {
        Changed(key, version);
        return _l1.DeleteAsync(key, version, CancellationToken.None);
    }

    // ---- key warnings ------------------------------------------------------------------------------------------

    /// <summary>
    /// A key answered by L1 alone warns here as L2 would have, since L2 never saw it; the L1 should be quiet (its
    /// context's logger off) so that a key that reaches L2 warns once.
    /// </summary>
    private void WarnOnHit(string key, int version)
    {
        var policy = _l2.Policy;
        if (_defaultKeys && KeyRules.IsValid(policy.KeyPrefix, version, key)) return;
        foreach (var problem in KeyRules.Validate(policy.MakeKey(key, version))) _logger.LogWarning("{CacheKeyWarning}", problem);
    }

    // ---- failures --------------------------------------------------------------------------------------------

    /// <summary>An L2 failure in a plain operation: a refusal, or any failure of a strict tier, is thrown; otherwise logged and counted.</summary>
    private void Answer(CacheError error)
    {
        if (error is not CacheError.BackendFailure failure) return;
        var cause = failure.Cause as CacheBackendException ?? new CacheBackendException(failure.Cause.Message, failure.Cause);
        if (cause.IsRefusal || !FailuresAreMisses) ExceptionDispatchInfo.Throw(failure.Cause);
        Report(cause);
    }

    /// <summary>A caught L2 failure in a plain operation (see <see cref="Answer(CacheError)"/>).</summary>
    private void Answer(string key, CacheBackendException failure) => Answer(CacheError.Failed(key, failure));

    private bool Lenient(CacheBackendException e) => FailuresAreMisses && !e.IsRefusal;

    private void Report(CacheBackendException failure)
    {
        _logger.LogWarning(failure, "Tiered cache: the L2 failed; answered from L1 or as a miss: {Failure}", failure.Message);
        FailureAnswered?.Invoke(failure);
    }
}
