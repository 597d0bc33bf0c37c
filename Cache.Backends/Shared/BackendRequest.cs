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
        return BadValues(Seq1(problem), withDefault);
    }

    /// <summary>
    /// The cache <paramref name="build"/> makes, by the request's mode when there are bad argument values (as an
    /// <see cref="UriArgumentReader"/> collects them). None: the cache. Strict: every problem. Lenient: a logged warning
    /// per problem, and the cache, built with each bad argument's default.
    /// </summary>
    public Validation<UriProblem, ICache> BadValues(Seq<UriProblem> problems, Func<ICache> build)
    {
        Guard.NotNull(build, nameof(build));
        if (!problems.IsEmpty && Strict) return Validation<UriProblem, ICache>.Fail(problems);
        foreach (var problem in problems) Context.Logger.LogWarning("{UriWarning} The default applies.", problem.Message);
        return Validation<UriProblem, ICache>.Success(build());
    }
}
