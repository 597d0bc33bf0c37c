using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends.LocMem;

/// <summary>The <c>locmem</c> scheme: <c>locmem:///?store=copy|reference</c>, plus the common arguments.</summary>
public static class LocMemBackend
{
    /// <summary>The registration of the <c>locmem</c> scheme.</summary>
    public static BackendRegistration Registration { get; } = new("locmem", Seq1("store"), Create);

    private static Validation<UriProblem, ICache> Create(BackendRequest request) =>
        request.Uri.Arguments.Find("store").Match(
            Some: text => text switch
            {
                "copy" => Success(new LocMemCache(request.Policy, request.Context, LocMemStore.Copy)),
                "reference" => Success(new LocMemCache(request.Policy, request.Context, LocMemStore.Reference)),
                _ => request.BadValue(new UriProblem("argument 'store'", $"Argument 'store' must be 'copy' or 'reference', not '{text}'."),
                    () => new LocMemCache(request.Policy, request.Context)),
            },
            None: () => Success(new LocMemCache(request.Policy, request.Context)));

    private static Validation<UriProblem, ICache> Success(ICache cache) => Validation<UriProblem, ICache>.Success(cache);
}
