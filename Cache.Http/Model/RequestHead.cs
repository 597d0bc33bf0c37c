namespace FunctionalCache.Http;

/// <summary>
/// What the caching functions need to know about a request: method, absolute URL parts and headers.
/// Our own immutable model, so the pure functions serve ASP.NET Core and any other stack.
/// </summary>
/// <param name="Method">The request method, as sent (<c>GET</c>, <c>HEAD</c>, …).</param>
/// <param name="Scheme"><c>http</c> or <c>https</c>.</param>
/// <param name="Host">The Host header as sent (case and port kept), which Django's page keys hash.</param>
/// <param name="Path">The decoded path, starting with <c>/</c>.</param>
/// <param name="QueryString">The raw query string without its <c>?</c>; empty when there is none.</param>
/// <param name="Headers">The request's header fields.</param>
public sealed record RequestHead(string Method, string Scheme, string Host, string Path, string QueryString, HeaderMap Headers)
{
    /// <summary>A GET of <c>scheme://host/path?query</c> with no headers, for tests and examples.</summary>
    public static RequestHead Get(string scheme, string host, string path, string queryString = "") =>
        new("GET", scheme, host, path, queryString, HeaderMap.Empty);

    /// <summary>A copy with another method.</summary>
    public RequestHead WithMethod(string method) => this with { Method = method };

    /// <summary>A copy with one header set.</summary>
    public RequestHead WithHeader(string name, string value) => this with { Headers = Headers.Set(name, value) };
}
