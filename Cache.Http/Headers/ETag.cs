using System.Security.Cryptography;
using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Http;

/// <summary>The entity tag Django computes for a response body.</summary>
public static class ETag
{
    /// <summary>
    /// The strong tag <c>"&lt;md5 hex&gt;"</c> of <paramref name="body"/> (lower-case hex, with the quotes), or None
    /// for an empty body.
    /// </summary>
    /// <remarks>
    /// Django's <c>set_response_etag</c>: <c>quote_etag(md5(content).hexdigest())</c>, and no ETag when the content is
    /// empty. MD5 is a fingerprint here, not a security measure.
    /// </remarks>
    public static Option<string> ForBody(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty) return None;
        Span<byte> hash = stackalloc byte[MD5.HashSizeInBytes];
        MD5.HashData(body, hash);
        return Some("\"" + Convert.ToHexStringLower(hash) + "\"");
    }
}
