using FunctionalCache.Backends;

namespace FunctionalCache.Http.AspNetCore;

/// <summary>Builds the cache one <see cref="CacheSettings"/> describes: the URI's backend, with the configured timeout, prefix and version.</summary>
internal static class ConfiguredCacheFactory
{
    /// <exception cref="FormatException">The URI is invalid (configuration validation makes this rare).</exception>
    public static ICache Create(CacheSettings settings, CacheContext context)
    {
        // A configured timeout beats the URI's; prefix and version have no URI form.
        var cache = CacheRegistry.Builtin.FromUri(settings.Uri, context, policy => policy
            .WithDefaultTimeout(settings.Timeout.IfNone(policy.DefaultTimeout))
            .WithKeyPrefix(settings.KeyPrefix.IfNone(policy.KeyPrefix))
            .WithVersion(settings.Version.IfNone(policy.Version)));
        // Tiers first, so that fail-safe keeps its stale copies through the L1 as well.
        var composed = settings.Tiers.Case is TierSettings tiers ? ConfiguredTiers.Create(tiers, cache, context) : cache;
        return settings.FailSafe.Match(options => new FunctionalCache.Backends.FailSafe.FailSafeCache(composed, options, context), () => composed);
    }
}
