using System.Buffers;
using System.Text;

namespace FunctionalCache.Http;

/// <summary>
/// The absolute URI of a request exactly as Django's page cache hashes it:
/// <c>iri_to_uri(request.build_absolute_uri())</c>.
/// </summary>
/// <remarks>
/// Scheme and Host as sent (case and port kept) + the path with Django's <c>escape_uri_path</c> + <c>?</c> and the raw
/// query string with only the characters a URI cannot hold escaped. A path holding <c>/./</c> or <c>/../</c> is resolved
/// as Python's <c>urljoin</c> does; a path starting with <c>//</c> keeps both slashes.
/// Text is escaped as UTF-8; a lone surrogate is escaped as U+FFFD instead of failing as in Python. The result is ASCII.
/// Never throws on any request text. Thread-safe: pure.
/// </remarks>
public static class AbsoluteUri
{
    // Django's escape_uri_path: quote(path, safe="/:@&+$,-_.!~*'()") plus Python's always-safe set.
    private const string PathSafe = "/:@&+$,-_.!~*'()";

    // Django's iri_to_uri: quote(iri, safe="/#%[]=:;$&()+,!?*@'~") plus Python's always-safe set.
    private const string IriSafe = "/#%[]=:;$&()+,!?*@'~_.-";

    // Python's quote writes escapes in upper case.
    private const string UpperHex = "0123456789ABCDEF";

    /// <summary>The absolute URI of <paramref name="request"/> that page cache keys hash.</summary>
    /// <param name="request">The request; a path not starting with <c>/</c> is read as if it did.</param>
    /// <returns>An ASCII URI such as <c>http://www.example.com/cache/test/?test=1</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <example><c>GET http://h/a b/../c?x=a b</c> gives <c>http://h/c?x=a%20b</c>.</example>
    public static string Build(RequestHead request)
    {
        Guard.NotNull(request, nameof(request));
        // Escaping works character by character and "://" needs none, so scheme and host are escaped apart.
        var scheme = IriToUri(request.Scheme);
        var host = IriToUri(request.Host);
        var path = EscapePath(request.Path.StartsWith('/') ? request.Path : "/" + request.Path);
        var query = IriToUri(request.QueryString);
        if (!path.Contains("/./", StringComparison.Ordinal) && !path.Contains("/../", StringComparison.Ordinal))
            return query.Length == 0 ? string.Concat(scheme, "://", host, path) : string.Concat(scheme, "://", host, path, "?", query);
        return string.Concat(scheme, "://", host, Resolve(path, query));
    }

    private static readonly SearchValues<char> PathSafeChars = SafeChars(PathSafe);
    private static readonly SearchValues<char> IriSafeChars = SafeChars(IriSafe);

    private static SearchValues<char> SafeChars(string safe) =>
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789" + safe);

    /// <summary>A path with every character outside <c>/:@&amp;+$,-_.!~*'()</c> and ASCII letters and digits percent-encoded as UTF-8.</summary>
    /// <param name="path">The decoded path.</param>
    /// <returns>The escaped path: <c>%</c> becomes <c>%25</c>, <c>;</c> <c>%3B</c>, a space <c>%20</c>.</returns>
    /// <remarks>Django's <c>escape_uri_path</c>.</remarks>
    public static string EscapePath(string path) => Quote(Guard.NotNull(path, nameof(path)), PathSafeChars);

    /// <summary>Text with only the characters a URI cannot hold percent-encoded as UTF-8; <c>%</c>, <c>&amp;</c>, <c>=</c>, <c>;</c>, <c>#</c>, <c>?</c> stay.</summary>
    /// <param name="iri">The text.</param>
    /// <returns>The ASCII text; applying it twice changes nothing.</returns>
    /// <remarks>Django's <c>iri_to_uri</c> (RFC 3987 §3.1).</remarks>
    public static string IriToUri(string iri) => Quote(Guard.NotNull(iri, nameof(iri)), IriSafeChars);

    private static string Quote(string text, SearchValues<char> safe)
    {
        // Most URLs need no escaping at all: then the text itself is the answer and nothing is allocated.
        var first = text.AsSpan().IndexOfAnyExcept(safe);
        if (first < 0) return text;
        var builder = new StringBuilder(text.Length + 16);
        builder.Append(text, 0, first);
        Span<byte> bytes = stackalloc byte[4];
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (safe.Contains(c))
            {
                builder.Append(c);
                continue;
            }
            Rune rune;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                rune = new Rune(c, text[i + 1]);
                i++;
            }
            else rune = Rune.IsValid(c) ? new Rune(c) : Rune.ReplacementChar;
            var count = rune.EncodeToUtf8(bytes);
            for (var b = 0; b < count; b++) builder.Append('%').Append(UpperHex[bytes[b] >> 4]).Append(UpperHex[bytes[b] & 0xF]);
        }
        return builder.ToString();
    }

    // Python's urljoin(base, "//" + path + "?" + query) for an absolute path: split off the fragment (a '#' in the
    // query), resolve '.' and '..', and put query and fragment back only when non-empty.
    private static string Resolve(string path, string query)
    {
        var fragment = "";
        var hash = query.IndexOf('#');
        if (hash >= 0)
        {
            fragment = query.Substring(hash + 1);
            query = query.Substring(0, hash);
        }
        var segments = path.Split('/');
        var resolved = new List<string>();
        foreach (var segment in segments)
        {
            if (segment == "..")
            {
                if (resolved.Count > 0) resolved.RemoveAt(resolved.Count - 1);
            }
            else if (segment != ".") resolved.Add(segment);
        }
        if (segments[^1] is "." or "..") resolved.Add("");
        var joined = string.Join("/", resolved);
        if (joined.Length == 0) joined = "/";
        else if (joined[0] != '/') joined = "/" + joined;
        var result = new StringBuilder(joined);
        if (query.Length > 0) result.Append('?').Append(query);
        if (fragment.Length > 0) result.Append('#').Append(fragment);
        return result.ToString();
    }
}
