using FunctionalCache.Backends.Diagnostics;
using LanguageExt;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FunctionalCache.Http.AspNetCore;

/// <summary>
/// The health of one cache: a probe key round trip (set a unique key with a short timeout, read it back, delete it)
/// through the <c>Try…</c> operations, so that a lenient backend (memcached) that answers a dead server as a miss is
/// reported as failing, not as healthy.
/// </summary>
/// <remarks>
/// Results: <see cref="HealthStatus.Healthy"/> when every step succeeded; the registration's failure status when a step
/// failed, when the cache could not be opened, or when another value came back; <see cref="HealthStatus.Degraded"/>
/// when the key was stored but did not come back (a <c>dummy://</c> cache keeps nothing). The description names the
/// alias, the backend, the failed step and the failure's text; the data holds <c>alias</c>, <c>backend</c>, <c>step</c>
/// (the failed step, or <c>done</c>) and, on failure, <c>error</c>. A probe's failure also reaches the cache's own
/// log and metrics, as any other operation's does. Thread-safe.
/// </remarks>
public sealed class CacheHealthCheck : IHealthCheck
{
    /// <summary>The tag every FunctionalCache health check carries.</summary>
    public const string Tag = "functionalcache";

    /// <summary>The prefix of every probe key; the rest is a new GUID per probe.</summary>
    public const string ProbeKeyPrefix = "functionalcache-health-";

    private readonly Func<ICache> _cache;
    private readonly TimeSpan _probeTimeout;

    /// <summary>A check of <paramref name="cache"/>, reported under <paramref name="alias"/>.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public CacheHealthCheck(string alias, ICache cache, CacheHealthCheckOptions? options = null)
        : this(alias, () => cache, options) => Guard.NotNull(cache, nameof(cache));

    /// <summary>A check of the cache <paramref name="cache"/> gives on each run (what DI resolves for an alias).</summary>
    internal CacheHealthCheck(string alias, Func<ICache> cache, CacheHealthCheckOptions? options)
    {
        Alias = Guard.NotNull(alias, nameof(alias));
        _cache = Guard.NotNull(cache, nameof(cache));
        _probeTimeout = (options ?? CacheHealthCheckOptions.Default).ProbeTimeout;
    }

    /// <summary>The alias the results name.</summary>
    public string Alias { get; }

    /// <summary>The registration name of the check of <paramref name="alias"/>: <c>functionalcache:alias</c>.</summary>
    public static string NameFor(string alias) => $"{Tag}:{Guard.NotNull(alias, nameof(alias))}";

    /// <inheritdoc/>
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var failureStatus = context?.Registration?.FailureStatus ?? HealthStatus.Unhealthy;
        ICache cache;
        try { cache = _cache(); }
        // A health check reports what it finds: a cache that cannot even be built is the failure to report.
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Result(failureStatus, $"Cache '{Alias}' could not be opened: {e.Message}", "(none)", "open", e);
        }

        var backend = CacheMetrics.BackendName(cache);
        var key = ProbeKeyPrefix + Guid.NewGuid().ToString("N");
        var value = Guid.NewGuid().ToString("N");
        var step = "set";
        try
        {
            var set = await cache.TrySetAsync(key, value, CacheTimeout.After(_probeTimeout), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (set.IsLeft) return Failed(failureStatus, backend, step, Error(set));
            step = "get";
            var got = await cache.TryGetAsync<string>(key, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (got.IsLeft) return Failed(failureStatus, backend, step, Error(got));
            step = "delete";
            var deleted = await cache.TryDeleteAsync(key, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (deleted.IsLeft) return Failed(failureStatus, backend, step, Error(deleted));
            var read = got.IfLeft(OptionUnsafe<string>.None);
            if (read.IsNone)
                return Result(HealthStatus.Degraded, $"Cache '{Alias}' ({backend}) stored the probe key but did not give it back: it keeps nothing (dummy://) or dropped it at once.", backend, "get", null);
            if (read.IfNoneUnsafe("") != value)
                return Result(failureStatus, $"Cache '{Alias}' ({backend}) gave back another value than the probe key was set to.", backend, "get", null);
            return Result(HealthStatus.Healthy, $"Cache '{Alias}' ({backend}): a probe key was set, read back and deleted.", backend, "done", null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Failed(failureStatus, backend, step, e);
        }
    }

    // The cause of a backend failure (its own sentence names the server, table or path); the error's text otherwise.
    private static Exception Error<T>(Either<CacheError, T> result) =>
        result.Match(
            Right: _ => new InvalidOperationException("The operation succeeded."),
            Left: error => error is CacheError.BackendFailure failure ? failure.Cause : new InvalidOperationException(error.Message));

    private HealthCheckResult Failed(HealthStatus status, string backend, string step, Exception error) =>
        Result(status, $"Cache '{Alias}' ({backend}) failed to {step} the probe key: {error.Message}", backend, step, error);

    private HealthCheckResult Result(HealthStatus status, string description, string backend, string step, Exception? error)
    {
        var data = new Dictionary<string, object> { ["alias"] = Alias, ["backend"] = backend, ["step"] = step };
        if (error is not null) data["error"] = error.Message;
        return new HealthCheckResult(status, description, error, data);
    }
}
