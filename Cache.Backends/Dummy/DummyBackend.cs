using LanguageExt;

namespace FunctionalCache.Backends.Dummy;

/// <summary>The <c>dummy</c> scheme: <c>dummy:///</c>, a cache that stores nothing.</summary>
public static class DummyBackend
{
    /// <summary>The registration of the <c>dummy</c> scheme.</summary>
    public static BackendRegistration Registration { get; } = new("dummy", Seq<string>.Empty, request =>
        Validation<UriProblem, ICache>.Success(new DummyCache(request.Policy, request.Context)));
}
