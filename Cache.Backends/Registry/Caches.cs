using LanguageExt;

namespace FunctionalCache.Backends;

/// <summary>The front door: any built-in or custom cache from a Django <c>CACHE_BACKEND</c> URI.</summary>
/// <example><c>var cache = Caches.FromUri("locmem:///?timeout=30&amp;max_entries=400");</c></example>
public static class Caches
{
    /// <summary>
    /// The cache <paramref name="uri"/> describes, in <see cref="CacheContext.Default"/> (the system clock, JSON values):
    /// unknown arguments and bad values are ignored, each reported as a warning on standard error.
    /// </summary>
    /// <remarks>
    /// For the warnings elsewhere, pass a context with your logger; for the warnings as values, <see cref="TryFromUri"/>
    /// in strict mode fails with every one of them.
    /// </remarks>
    /// <exception cref="FormatException">The URI is malformed or names an unknown scheme.</exception>
    public static ICache FromUri(string uri) => CacheRegistry.Builtin.FromUri(uri, CacheContext.Default);

    /// <summary>
    /// The cache <paramref name="uri"/> describes, in <paramref name="context"/>: warnings go to the context's logger;
    /// strict mode makes every warning an error.
    /// </summary>
    /// <exception cref="FormatException">The URI is invalid; the message has a header line and one line per problem.</exception>
    public static ICache FromUri(string uri, CacheContext context, bool strict = false) => CacheRegistry.Builtin.FromUri(uri, context, strict);

    /// <summary>
    /// The cache <paramref name="uri"/> describes, or every problem with it. In strict mode the problems include what
    /// lenient mode would only warn about (unknown arguments, bad values, a relative file location): the warnings as values.
    /// </summary>
    public static Validation<UriProblem, ICache> TryFromUri(string uri, CacheContext context, bool strict = false) =>
        CacheRegistry.Builtin.TryFromUri(uri, context, strict);
}
