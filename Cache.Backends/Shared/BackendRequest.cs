using LanguageExt;
using Microsoft.Extensions.Logging;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends;

/// <summary>Everything a backend factory needs to build one cache from a URI.</summary>
/// <param name="Uri">The parsed URI, with the backend's own arguments kept in <see cref="BackendUri.Arguments"/>.</param>
/// <param name="Policy">The policy read from the URI's <c>timeout</c>, <c>max_entries</c> and <c>cull_frequency</c>.</param>
/// <param name="Context">The clock, logger and serializer to use.</param>
/// <param name="Strict">When true, a bad backend argument value is an error; otherwise a logged warning and the default applies.</param>
public sealed record BackendRequest(BackendUri Uri, CachePolicy Policy, CacheContext Context, bool Strict)
{
    /// <summary>
    /// A bad argument value, by the request's mode. Strict: the problem. Lenient: a logged warning, and the cache
    /// <paramref name="withDefault"/> builds with that argument's default.
    /// </summary>
    public Validation<UriProblem, ICache> BadValue(UriProblem problem, Func<ICache> withDefault)
    {
        Guard.NotNull(problem, nameof(problem));
        Guard.NotNull(withDefault, nameof(withDefault));
        if (Strict) return Validation<UriProblem, ICache>.Fail(Seq1(problem));
        Context.Logger.LogWarning("{UriWarning} The default applies.", problem.Message);
        return Validation<UriProblem, ICache>.Success(withDefault());
    }
}
