using LanguageExt;

namespace FunctionalCache.Http.AspNetCore;

/// <summary>One configured cache: its alias, its backend URI and the policy settings a URI cannot carry.</summary>
/// <param name="Alias">The name the cache is resolved by.</param>
/// <param name="Uri">The <c>CACHE_BACKEND</c> URI (for the object form, built from backend, location and options).</param>
/// <param name="Timeout">The default timeout when configured (<c>"none"</c> is <see cref="CacheTimeout.Never"/>).</param>
/// <param name="KeyPrefix">The key prefix when configured.</param>
/// <param name="Version">The default version when configured.</param>
public sealed partial record CacheSettings(string Alias, string Uri, Option<CacheTimeout> Timeout, Option<string> KeyPrefix, Option<int> Version)
{
    /// <summary>The in-process level in front of this cache and its backplane, when <c>tiers</c> is configured.</summary>
    /// <value>None.</value>
    public Option<TierSettings> Tiers { get; init; }
}
