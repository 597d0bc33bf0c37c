using Microsoft.Extensions.Logging;

namespace FunctionalCache.Backends;

/// <summary>
/// The world a backend runs in: its clock, its logger and its serializer. Tests swap the clock for a
/// fake; hosts pass their logger.
/// </summary>
/// <param name="Time">Where "now" comes from.</param>
/// <param name="Logger">Receives key warnings, ignored URI arguments and backend faults.</param>
/// <param name="Serializer">Turns values into stored bytes and back.</param>
public sealed record CacheContext(TimeProvider Time, ILogger Logger, ICacheSerializer Serializer)
{
    /// <summary>
    /// The system clock (millisecond resolution, see <see cref="CoarseClock"/>), warnings and errors on standard error
    /// (one line each, each distinct message once), JSON serialization.
    /// </summary>
    /// <remarks>
    /// A cache built without dependency injection still reports what it ignores (an unknown URI argument, a bad
    /// value, a key memcached would refuse), as the seed promises and as Django's warnings reach standard error.
    /// <c>WithLogger(NullLogger.Instance)</c> silences it; dependency injection passes the application's logger.
    /// </remarks>
    public static CacheContext Default { get; } = new(CoarseClock.Instance, Diagnostics.StandardErrorLogger.Instance, JsonCacheSerializer.Instance);

    /// <summary>A copy with another clock.</summary>
    public CacheContext WithTime(TimeProvider time) => this with { Time = time };

    /// <summary>A copy with another logger.</summary>
    public CacheContext WithLogger(ILogger logger) => this with { Logger = logger };

    /// <summary>A copy with another serializer.</summary>
    public CacheContext WithSerializer(ICacheSerializer serializer) => this with { Serializer = serializer };
}
