using LanguageExt;

namespace FunctionalCache.Backends;

/// <summary>A URI scheme, the extra arguments its backend reads, and the factory that builds it.</summary>
/// <param name="Scheme">The URI scheme; a URI names it in any case (RFC 3986 §3.1).</param>
/// <param name="Arguments">Argument names the backend reads besides <c>timeout</c>, <c>max_entries</c> and <c>cull_frequency</c>.</param>
/// <param name="Create">Builds the cache, or says which argument values are bad.</param>
public sealed record BackendRegistration(string Scheme, Seq<string> Arguments, Func<BackendRequest, Validation<UriProblem, ICache>> Create);
