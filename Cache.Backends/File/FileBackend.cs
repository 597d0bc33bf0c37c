using LanguageExt;
using Microsoft.Extensions.Logging;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends.File;

/// <summary>
/// The <c>file</c> scheme: <c>file:///path/to/dir</c> (or <c>file://localhost/path/to/dir</c>, or <c>file://c:/dir</c> on
/// Windows): the percent-decoded location is the directory.
/// </summary>
/// <remarks>
/// RFC 8089 §2: the host <c>localhost</c> (in any case) names the local machine, so <c>file://localhost/tmp/x</c> is
/// <c>/tmp/x</c> (Django reads it as the relative directory <c>localhost/tmp/x</c>). Any other location that is not
/// an absolute path (<c>file://cache</c>, which Django writes for a directory relative to the working directory) is
/// still accepted as Django accepts it, with a warning naming the directory it resolves to; strict mode refuses it.
/// </remarks>
public static class FileBackend
{
    /// <summary>The registration of the <c>file</c> scheme.</summary>
    public static BackendRegistration Registration { get; } = new("file", LanguageExt.Seq<string>.Empty, Create);

    private const string Localhost = "localhost";

    private static Validation<UriProblem, ICache> Create(BackendRequest request)
    {
        var directory = DirectoryOf(request.Uri.Location);
        if (string.IsNullOrWhiteSpace(directory))
            return Validation<UriProblem, ICache>.Fail(Seq1(new UriProblem("location",
                "The file backend needs a directory, as in 'file:///var/tmp/cache'; the location is empty.")));
        if (directory.Contains('\0'))
            return Validation<UriProblem, ICache>.Fail(Seq1(new UriProblem("location",
                $"The file cache location {UriText.Quoted(directory)} holds a NUL character, which no path can hold.")));
        if (!Path.IsPathRooted(directory))
        {
            var problem = new UriProblem("location",
                $"The file cache location {UriText.Quoted(directory)} is a relative path: it resolves against the working directory, " +
                $"to {UriText.Quoted(Path.GetFullPath(directory))}. Write an absolute path, as in 'file:///var/tmp/cache'.");
            if (request.Strict) return Validation<UriProblem, ICache>.Fail(Seq1(problem));
            request.Context.Logger.LogWarning("{UriWarning}", problem.Message);
        }
        return Validation<UriProblem, ICache>.Success(new FileBasedCache(directory, request.Policy, request.Context));
    }

    /// <summary>The directory a <c>file</c> location names: the location, less a leading <c>localhost</c> host.</summary>
    internal static string DirectoryOf(string location) =>
        location.StartsWith(Localhost, StringComparison.OrdinalIgnoreCase) && (location.Length == Localhost.Length || location[Localhost.Length] == '/')
            ? location.Substring(Localhost.Length)
            : location;
}
