using FunctionalCache.Backends.FailSafe;
using LanguageExt;

namespace FunctionalCache.Http.AspNetCore;

public sealed partial record CacheSettings
{
    /// <summary>The configured <c>fail_safe</c> options: the cache is wrapped in a <see cref="FailSafeCache"/> with them.</summary>
    /// <value>None: no fail-safe.</value>
    public Option<FailSafeOptions> FailSafe { get; init; }
}
