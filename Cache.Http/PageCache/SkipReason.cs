namespace FunctionalCache.Http;

/// <summary>The reasons <see cref="PageCacheRules.DecideUpdate"/> gives for not storing a response (DESIGN.md's never-store list).</summary>
public static class SkipReason
{
    /// <summary>The request method is not GET or HEAD.</summary>
    public const string Method = "method is not GET or HEAD";

    /// <summary>The body was streamed (or exceeded the buffer limit), so it was never held whole.</summary>
    public const string Streaming = "streaming body";

    /// <summary>The status is neither 200 nor 304.</summary>
    public const string Status = "status is not 200 or 304";

    /// <summary>The response sets a cookie; it is never stored, whatever its Vary (CVE-2014-0473, CVE-2026-48588).</summary>
    public const string SetsCookie = "response sets a cookie";

    /// <summary>Cache-Control has <c>private</c>, <c>no-cache</c> or <c>no-store</c> (any case, with or without a value; CVE-2026-8404).</summary>
    public const string NotShareable = "Cache-Control private, no-cache or no-store";

    /// <summary>Vary lists <c>*</c> (CVE-2026-6907).</summary>
    public const string VaryStar = "Vary: *";

    /// <summary>The request carried Authorization and the response is not explicitly <c>public</c> (CVE-2026-35193).</summary>
    public const string Authorization = "request has Authorization and the response is not public";

    /// <summary>The view's own <c>max-age=0</c> (without a page timeout): the response is sent untouched.</summary>
    public const string MaxAgeZero = "view's max-age is 0";

    /// <summary>The timeout came to zero or less.</summary>
    public const string NoTimeout = "timeout is 0 or negative";

    /// <summary>A 304 gets the caching headers but has no body to store.</summary>
    public const string NotModified = "304 responses are not stored";
}
