using System.Diagnostics;
using LanguageExt;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionalCache.Backends.Diagnostics;

/// <summary>
/// A decorator that reports every operation of the cache it wraps to <see cref="CacheMetrics"/> (hits, misses, sets,
/// evictions, backend errors and durations, tagged by alias and backend) and logs backend failures; the results
/// and exceptions are the inner cache's, unchanged.
/// </summary>
/// <remarks>
/// <c>AddFunctionalCache(configuration)</c> wraps every configured cache in one. Hits and misses are counted for
/// <c>GetAsync</c>, <c>GetManyAsync</c> (per key) and <c>GetOrSetAsync</c> (a run factory is a miss and a set);
/// <c>GetOrDefaultAsync</c> and <c>HasKeyAsync</c> only record their duration. Evictions are counted where the
/// backend is an <see cref="ICacheEvictionSource"/> (locmem). Backend errors are counted whether the failure was
/// thrown, answered as a <c>Left</c> by a <c>Try…</c> operation, or answered as a miss by a lenient backend (an
/// <see cref="ICacheFailureSource"/>: memcached). When nothing listens and the logger has warnings off, every call goes straight to the inner cache.
/// Thread-safe when the inner cache is.
/// </remarks>
public sealed partial class InstrumentedCache : ICache
{
    private readonly ICache _inner;
    private readonly TagList _tags;
    private readonly ILogger _logger;
    private readonly bool _lenient;

    /// <summary>Wraps <paramref name="inner"/>, reporting under <paramref name="alias"/>; failures are logged to <paramref name="logger"/>.</summary>
    /// <exception cref="ArgumentException">The alias is empty.</exception>
    public InstrumentedCache(ICache inner, string alias, ILogger? logger = null)
    {
        _inner = Guard.NotNull(inner, nameof(inner));
        Guard.That(!string.IsNullOrEmpty(alias), nameof(alias), "A cache alias must not be empty.");
        Alias = alias;
        Backend = CacheMetrics.BackendName(inner);
        _tags = CacheMetrics.Tags(alias, Backend);
        _logger = logger ?? NullLogger.Instance;
        if (inner is ICacheEvictionSource source) source.Evicted += OnEvicted;
        if (inner is ICacheFailureSource failures)
        {
            failures.FailureAnswered += OnFailureAnswered;
            _lenient = failures.FailuresAreMisses;
        }
    }

    /// <summary>The alias measurements are tagged with.</summary>
    public string Alias { get; }

    /// <summary>The backend name measurements are tagged with (<c>locmem</c>, <c>file</c>, <c>db</c>, …).</summary>
    public string Backend { get; }

    /// <summary>The wrapped cache.</summary>
    public ICache Inner => _inner;

    /// <inheritdoc/>
    public CachePolicy Policy => _inner.Policy;

    // Nothing listens and failures would not be logged: call the inner cache directly, with no wrapper state machine.
    private bool Quiet => !CacheMetrics.AnyEnabled && !_logger.IsEnabled(LogLevel.Warning);

    private void OnEvicted(int count)
    {
        if (CacheMetrics.Evictions.Enabled) CacheMetrics.Evictions.Add(count, _tags);
    }

    // The backend logged it already; a failure it answered as a miss is counted like one it threw.
    private void OnFailureAnswered(CacheBackendException failure) => Count(CacheMetrics.BackendErrors, 1);

    private void Count(System.Diagnostics.Metrics.Counter<long> counter, long amount)
    {
        if (amount > 0 && counter.Enabled) counter.Add(amount, _tags);
    }

    private async Task<T> Measure<T>(string operation, Func<Task<T>> run)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (CacheBackendException e)
        {
            Count(CacheMetrics.BackendErrors, 1);
            _logger.LogWarning(e, "Cache '{Alias}' ({Backend}) failed in {Operation}: {Message}", Alias, Backend, operation, e.Message);
            throw;
        }
        finally
        {
            if (CacheMetrics.Duration.Enabled)
            {
                var tags = _tags;
                tags.Add("cache.operation", operation);
                CacheMetrics.Duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
            }
        }
    }

    private async Task Measure(string operation, Func<Task> run) =>
        await Measure<bool>(operation, async () => { await run().ConfigureAwait(false); return true; }).ConfigureAwait(false);
}
