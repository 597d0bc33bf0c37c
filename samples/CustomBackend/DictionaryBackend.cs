using FunctionalCache;
using FunctionalCache.Backends;
using LanguageExt;

namespace Samples.CustomBackend;

/// <summary>
/// The <c>dict</c> scheme: <c>dict:///</c> with the common arguments (<c>timeout</c>, <c>max_entries</c>,
/// <c>cull_frequency</c>), which the registry reads into the policy; the backend reads none of its own.
/// </summary>
/// <example><code>
/// var registry = CacheRegistry.Builtin.With(DictionaryBackend.Registration);
/// var cache = registry.FromUri("dict:///?max_entries=1000", CacheContext.Default);
/// </code></example>
public static class DictionaryBackend
{
    /// <summary>The registration of the <c>dict</c> scheme, for <see cref="CacheRegistry.With"/>.</summary>
    public static BackendRegistration Registration { get; } = new("dict", Seq<string>.Empty, request =>
        Validation<UriProblem, ICache>.Success(new DictionaryCache(request.Policy, request.Context)));
}
