using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends.File;

/// <summary>The <c>file</c> scheme: <c>file:///path/to/dir</c> (or <c>file://c:/dir</c>): the location is the directory.</summary>
public static class FileBackend
{
    /// <summary>The registration of the <c>file</c> scheme.</summary>
    public static BackendRegistration Registration { get; } = new("file", LanguageExt.Seq<string>.Empty, request =>
        string.IsNullOrWhiteSpace(request.Uri.Location)
            ? Validation<UriProblem, ICache>.Fail(Seq1(new UriProblem("location",
                "The file backend needs a directory, as in 'file:///var/tmp/cache'; the location is empty.")))
            : Validation<UriProblem, ICache>.Success(new FileBasedCache(request.Uri.Location, request.Policy, request.Context)));
}
