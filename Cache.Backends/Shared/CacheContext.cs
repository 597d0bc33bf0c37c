using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

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
    /// <summary>The system clock (millisecond resolution, see <see cref="CoarseClock"/>), no logging, JSON serialization.</summary>
    public static CacheContext Default { get; } = new(CoarseClock.Instance, NullLogger.Instance, JsonCacheSerializer.Instance);

    /// <summary>A copy with another clock.</summary>
    public CacheContext WithTime(TimeProvider time) => this with { Time = time };

    /// <summary>A copy with another logger.</summary>
    public CacheContext WithLogger(ILogger logger) => this with { Logger = logger };

    /// <summary>A copy with another serializer.</summary>
    public CacheContext WithSerializer(ICacheSerializer serializer) => this with { Serializer = serializer };
}
