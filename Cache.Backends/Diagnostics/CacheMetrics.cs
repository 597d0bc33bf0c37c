using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace FunctionalCache.Backends.Diagnostics;

/// <summary>
/// The library's <see cref="System.Diagnostics.Metrics.Meter"/>, named <c>"FunctionalCache"</c>, and its instruments;
/// OpenTelemetry picks them up with <c>AddMeter("FunctionalCache")</c>.
/// </summary>
/// <remarks>
/// Every measurement carries the tags <c>cache.alias</c> and <c>cache.backend</c>; the duration histogram adds
/// <c>cache.operation</c>. Instruments: <c>functionalcache.hits</c>, <c>functionalcache.misses</c>,
/// <c>functionalcache.sets</c>, <c>functionalcache.evictions</c>, <c>functionalcache.bypasses</c> (the page cache's
/// never-store decisions), <c>functionalcache.backend_errors</c> and <c>functionalcache.operation.duration</c> (seconds).
/// A counter with no listener costs one field read. Thread-safe.
/// </remarks>
public static class CacheMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "FunctionalCache";

    /// <summary>The library's meter.</summary>
    public static Meter Meter { get; } = new(MeterName, typeof(CacheMetrics).Assembly.GetName().Version?.ToString());

    internal static readonly Counter<long> Hits = Meter.CreateCounter<long>("functionalcache.hits", "{hit}", "Lookups that found a live entry.");
    internal static readonly Counter<long> Misses = Meter.CreateCounter<long>("functionalcache.misses", "{miss}", "Lookups that found nothing.");
    internal static readonly Counter<long> Sets = Meter.CreateCounter<long>("functionalcache.sets", "{set}", "Entries written.");
    internal static readonly Counter<long> Evictions = Meter.CreateCounter<long>("functionalcache.evictions", "{entry}", "Live entries removed to make room (culls).");
    internal static readonly Counter<long> Bypasses = Meter.CreateCounter<long>("functionalcache.bypasses", "{response}", "Responses the page cache decided never to store.");
    internal static readonly Counter<long> BackendErrors = Meter.CreateCounter<long>("functionalcache.backend_errors", "{error}", "Backend failures.");
    // Fail-safe (FailSafeCache): stale answers, factory failures, soft/hard timeouts reached and eager refreshes started.
    internal static readonly Counter<long> StaleServed = Meter.CreateCounter<long>("functionalcache.fail_safe.stale_served", "{answer}", "Get-or-set calls answered from a stale value.");
    internal static readonly Counter<long> FactoryErrors = Meter.CreateCounter<long>("functionalcache.fail_safe.factory_errors", "{error}", "Get-or-set factories that threw.");
    internal static readonly Counter<long> FactoryTimeouts = Meter.CreateCounter<long>("functionalcache.fail_safe.timeouts", "{call}", "Get-or-set calls that reached their soft or hard timeout.");
    internal static readonly Counter<long> Refreshes = Meter.CreateCounter<long>("functionalcache.fail_safe.refreshes", "{refresh}", "Eager refreshes started.");
    internal static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("functionalcache.operation.duration", "s", "How long a cache operation took.");

    /// <summary>The tags of a cache: its alias and backend.</summary>
    internal static TagList Tags(string alias, string backend) => new() { { "cache.alias", alias }, { "cache.backend", backend } };

    /// <summary>True when anything listens to one of the instruments.</summary>
    internal static bool AnyEnabled =>
        Hits.Enabled || Misses.Enabled || Sets.Enabled || Evictions.Enabled || Bypasses.Enabled || BackendErrors.Enabled || Duration.Enabled;

    /// <summary>Counts one response the page cache of <paramref name="alias"/> (over <paramref name="cache"/>) chose not to store.</summary>
    internal static void RecordBypass(string alias, ICache cache)
    {
        if (Bypasses.Enabled) Bypasses.Add(1, Tags(alias, BackendName(cache)));
    }

    /// <summary>Counts one backend failure of the cache <paramref name="alias"/>.</summary>
    internal static void RecordBackendError(string alias, string backend)
    {
        if (BackendErrors.Enabled) BackendErrors.Add(1, Tags(alias, backend));
    }

    /// <summary>The backend name of a cache: the one it gives itself (<see cref="CacheBase.BackendName"/>), else its type name.</summary>
    internal static string BackendName(ICache cache) => Guard.NotNull(cache, nameof(cache)) switch
    {
        InstrumentedCache i => i.Backend,
        CacheBase b => b.BackendName,
        var other => other.GetType().Name,
    };
}
