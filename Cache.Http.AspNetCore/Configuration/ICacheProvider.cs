using LanguageExt;

namespace FunctionalCache.Http.AspNetCore;

/// <summary>The caches configured by alias, as Django's <c>caches["alias"]</c>.</summary>
/// <remarks>Registered by <c>AddFunctionalCache(configuration)</c>; each cache is built on first use and shared. Thread-safe.</remarks>
public interface ICacheProvider
{
    /// <summary>The cache configured under <paramref name="alias"/>.</summary>
    /// <exception cref="ArgumentException">No cache is configured under the alias; the message names the configured ones.</exception>
    ICache this[string alias] { get; }

    /// <summary>The cache configured under <c>"default"</c>; the same instance as the registered <see cref="ICache"/>.</summary>
    ICache Default { get; }

    /// <summary>The configured aliases, in ordinal order.</summary>
    Seq<string> Aliases { get; }
}
