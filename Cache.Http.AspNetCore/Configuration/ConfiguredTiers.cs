using FunctionalCache.Backends;
using FunctionalCache.Backends.Tiers;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionalCache.Http.AspNetCore;

/// <summary>Builds the tier configured in front of a cache: its locmem L1, its options and its backplane.</summary>
internal static class ConfiguredTiers
{
    /// <exception cref="ArgumentException">The backplane cannot be built over this cache (a db:// cache on SQLite under a postgres backplane).</exception>
    public static ICache Create(TierSettings settings, ICache l2, CacheContext context)
    {
        // The L2 already warns about a bad key: a quiet L1 keeps it to one warning per key.
        var l1 = CacheRegistry.Builtin.FromUri(settings.L1Uri, context.WithLogger(NullLogger.Instance));
        var options = TierOptions.Default;
        options = settings.L1MaxDuration.Match(options.WithL1MaxDuration, () => options);
        options = settings.UnknownLifetimeL1Timeout.Match(options.WithUnknownLifetimeL1Timeout, () => options);
        options = settings.BackplaneDownL1Timeout.Match(options.WithBackplaneDownL1Timeout, () => options);
        var backplane = Backplanes.Create(settings.Backplane, l2, context.Logger);
        options = backplane.Match(options.WithBackplane, () => options);
        var tier = new TieredCache(l1, l2, options, context.Logger);
        backplane.IfSome(b => { if (b is IDisposable d) tier.Own(d); });
        if (l2 is IDisposable owned) tier.Own(owned);
        return tier;
    }
}
