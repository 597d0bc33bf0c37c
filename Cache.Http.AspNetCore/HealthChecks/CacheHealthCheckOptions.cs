using LanguageExt;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FunctionalCache.Http.AspNetCore;

/// <summary>
/// What <c>AddHealthChecks().AddFunctionalCache(…)</c> checks and how: which aliases, the status a failing cache
/// reports, extra tags, and how long the probe key may live. Immutable: change it with the <c>With…</c> methods.
/// </summary>
public sealed record CacheHealthCheckOptions
{
    /// <summary>Every configured alias, <see cref="HealthStatus.Unhealthy"/> on failure, no extra tags, a 10-second probe key.</summary>
    public static CacheHealthCheckOptions Default { get; } = new(Seq<string>.Empty, HealthStatus.Unhealthy, Seq<string>.Empty, TimeSpan.FromSeconds(10));

    /// <summary>Creates the options.</summary>
    /// <param name="aliases">The aliases to check; empty: every alias <see cref="ICacheProvider"/> knows (or <c>default</c> without one).</param>
    /// <param name="failureStatus">The status of a cache that fails the probe.</param>
    /// <param name="tags">Tags added to every check, besides <see cref="CacheHealthCheck.Tag"/>.</param>
    /// <param name="probeTimeout">How long the probe key lives if it cannot be deleted.</param>
    /// <exception cref="ArgumentException">An alias or tag is null or empty, or the probe timeout is not positive.</exception>
    public CacheHealthCheckOptions(Seq<string> aliases, HealthStatus failureStatus, Seq<string> tags, TimeSpan probeTimeout)
    {
        Guard.That(aliases.ForAll(a => !string.IsNullOrEmpty(a)), nameof(aliases), "A cache alias to check must not be null or empty.");
        Guard.That(tags.ForAll(t => !string.IsNullOrEmpty(t)), nameof(tags), "A health check tag must not be null or empty.");
        Guard.That(probeTimeout > TimeSpan.Zero, nameof(probeTimeout), "The probe key's timeout must be positive.");
        Aliases = aliases;
        FailureStatus = failureStatus;
        Tags = tags;
        ProbeTimeout = probeTimeout;
    }

    /// <summary>The aliases to check; empty: every configured alias.</summary>
    public Seq<string> Aliases { get; }

    /// <summary>The status of a cache that fails the probe.</summary>
    /// <value><see cref="HealthStatus.Unhealthy"/>.</value>
    public HealthStatus FailureStatus { get; }

    /// <summary>Tags added to every check, besides <see cref="CacheHealthCheck.Tag"/>.</summary>
    public Seq<string> Tags { get; }

    /// <summary>How long the probe key lives if it cannot be deleted.</summary>
    /// <value>10 seconds.</value>
    public TimeSpan ProbeTimeout { get; }

    /// <summary>A copy that checks only <paramref name="aliases"/> (none: every configured alias).</summary>
    public CacheHealthCheckOptions WithAliases(params string[] aliases) => new(Guard.NotNull(aliases, nameof(aliases)).ToSeq().Strict(), FailureStatus, Tags, ProbeTimeout);

    /// <summary>A copy whose failing caches report <paramref name="status"/>.</summary>
    public CacheHealthCheckOptions WithFailureStatus(HealthStatus status) => new(Aliases, status, Tags, ProbeTimeout);

    /// <summary>A copy that adds <paramref name="tags"/> to every check.</summary>
    public CacheHealthCheckOptions WithTags(params string[] tags) => new(Aliases, FailureStatus, Guard.NotNull(tags, nameof(tags)).ToSeq().Strict(), ProbeTimeout);

    /// <summary>A copy whose probe key lives <paramref name="timeout"/>.</summary>
    public CacheHealthCheckOptions WithProbeTimeout(TimeSpan timeout) => new(Aliases, FailureStatus, Tags, timeout);
}
