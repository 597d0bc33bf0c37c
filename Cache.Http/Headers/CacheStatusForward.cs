namespace FunctionalCache.Http;

/// <summary>
/// The values of the <c>fwd</c> parameter of a Cache-Status member: why a cache sent the request on towards the
/// origin instead of answering it (RFC 9211 §2.2).
/// </summary>
public static class CacheStatusForward
{
    /// <summary>The cache was configured not to handle this request.</summary>
    public const string Bypass = "bypass";

    /// <summary>The request method's semantics require forwarding it.</summary>
    public const string Method = "method";

    /// <summary>The cache held no response for the request's URI.</summary>
    public const string UriMiss = "uri-miss";

    /// <summary>The cache held responses for the URI, but none for this request's values of the fields they vary on.</summary>
    public const string VaryMiss = "vary-miss";

    /// <summary>No usable response, for a cache that does not tell <see cref="UriMiss"/> from <see cref="VaryMiss"/>.</summary>
    public const string Miss = "miss";

    /// <summary>A fresh response was found, but the request's directives (such as <c>no-cache</c>) forbade using it.</summary>
    public const string Request = "request";

    /// <summary>The stored response was stale.</summary>
    public const string Stale = "stale";

    /// <summary>Only part of the response was stored (ranges).</summary>
    public const string Partial = "partial";
}
