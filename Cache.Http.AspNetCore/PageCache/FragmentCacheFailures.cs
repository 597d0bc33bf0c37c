using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionalCache.Http.AspNetCore;

/// <summary>
/// What an application does when a template fragment's cache fails, as the page cache does for a page: a warning in
/// the log and one more <see cref="CacheCounters.FragmentBackendFailures"/>; the fragment is rendered uncached.
/// Give it to the fragment tag: <c>new FragmentCacheParser(cache, new FluidParserOptions(), FragmentCacheFailures.Reporter(app.Services))</c>.
/// </summary>
/// <remarks>Thread-safe: the action only logs and increments a counter.</remarks>
public static class FragmentCacheFailures
{
    /// <summary>The log category of the warnings.</summary>
    public const string LogCategory = "FunctionalCache.Http.Fragments";

    /// <summary>
    /// An action that logs a fragment cache failure (a warning in <see cref="LogCategory"/>) and counts it in the
    /// application's <see cref="CacheCounters"/>.
    /// </summary>
    /// <param name="services">The application's services (<c>app.Services</c>), with <c>AddFunctionalCache</c>'s counters.</param>
    /// <returns>The action, for <c>FragmentCacheParser</c> or <c>FragmentCache.GetOrRenderReportingAsync</c>.</returns>
    /// <exception cref="ArgumentNullException">The services are null.</exception>
    /// <exception cref="InvalidOperationException">No <see cref="CacheCounters"/> is registered (call <c>services.AddFunctionalCache(…)</c>).</exception>
    public static Action<Exception> Reporter(IServiceProvider services)
    {
        Guard.NotNull(services, nameof(services));
        var counters = services.GetService<CacheCounters>()
            ?? throw new InvalidOperationException("No CacheCounters is registered: call services.AddFunctionalCache(uri) before asking for the fragment failure reporter.");
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger(LogCategory) ?? NullLogger.Instance;
        return e =>
        {
            counters.FragmentBackendFailed();
            logger.LogWarning(e, "Fragment cache failed; the fragment is rendered uncached: {Message}", e.Message);
        };
    }
}
