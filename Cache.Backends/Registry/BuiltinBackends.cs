using FunctionalCache.Backends.Dummy;
using FunctionalCache.Backends.LocMem;
using LanguageExt;
using Microsoft.Extensions.Logging;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends;

/// <summary>The registrations of the backends that ship in this package.</summary>
public static class BuiltinBackends
{
    /// <summary><c>locmem:///?store=copy|reference</c>.</summary>
    public static BackendRegistration LocMem { get; } = new("locmem", Seq1("store"), request =>
        request.Uri.Arguments.Find("store").Match(
            Some: text => text switch
            {
                "copy" => Success(new LocMemCache(request.Policy, request.Context, LocMemStore.Copy)),
                "reference" => Success(new LocMemCache(request.Policy, request.Context, LocMemStore.Reference)),
                _ => BadValue(request, new UriProblem("argument 'store'", $"Argument 'store' must be 'copy' or 'reference', not '{text}'."),
                    () => new LocMemCache(request.Policy, request.Context)),
            },
            None: () => Success(new LocMemCache(request.Policy, request.Context))));

    /// <summary><c>dummy:///</c>: stores nothing.</summary>
    public static BackendRegistration Dummy { get; } = new("dummy", LanguageExt.Seq<string>.Empty, request =>
        Success(new DummyCache(request.Policy, request.Context)));

    /// <summary>Every built-in registration.</summary>
    public static Seq<BackendRegistration> All { get; } = Seq(LocMem, Dummy, File.FileBasedCache.Registration, Database.DatabaseBackend.Registration, Memcached.MemcachedBackend.Registration);

    private static Validation<UriProblem, ICache> Success(ICache cache) => Validation<UriProblem, ICache>.Success(cache);

    /// <summary>Strict: the problem. Lenient: a logged warning and the backend with its default.</summary>
    public static Validation<UriProblem, ICache> BadValue(BackendRequest request, UriProblem problem, Func<ICache> withDefault)
    {
        if (request.Strict) return Validation<UriProblem, ICache>.Fail(Seq1(problem));
        request.Context.Logger.LogWarning("{UriWarning} The default applies.", problem.Message);
        return Success(withDefault());
    }
}
