using Microsoft.Extensions.Logging;

namespace FunctionalCache.Backends.Tiers;

/// <summary>Puts an in-process cache in front of a shared one.</summary>
public static class TieredCacheExtensions
{
    /// <summary>
    /// <paramref name="l1"/> (in-process, private to the tier) in front of <paramref name="l2"/> (shared): see
    /// <see cref="TieredCache"/>.
    /// </summary>
    /// <param name="l1">The in-process level: a locmem cache of its own.</param>
    /// <param name="l2">The shared level.</param>
    /// <param name="options">Lifetimes and backplane; <see cref="TierOptions.Default"/> when omitted.</param>
    /// <param name="logger">Where L2 and backplane failures are logged.</param>
    public static TieredCache Tiered(this ICache l1, ICache l2, TierOptions? options = null, ILogger? logger = null) =>
        new(l1, l2, options ?? TierOptions.Default, logger);
}
