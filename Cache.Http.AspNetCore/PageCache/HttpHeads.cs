using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace FunctionalCache.Http.AspNetCore;

/// <summary>Reads ASP.NET Core requests and responses into the pure model, and writes a changed response head back.</summary>
internal static class HttpHeads
{
    /// <summary>The request with every header field.</summary>
    public static RequestHead Request(HttpRequest request) => Request(request, AllHeaders(request.Headers));

    /// <summary>The request with only the fields the page key hashes (names in Django's <c>HTTP_NAME</c> form).</summary>
    public static RequestHead Request(HttpRequest request, IEnumerable<string> headerList)
    {
        var map = HeaderMap.Empty;
        foreach (var entry in headerList)
        {
            if (!entry.StartsWith("HTTP_", StringComparison.Ordinal)) continue;
            var name = entry.Substring(5).Replace('_', '-');
            if (request.Headers.TryGetValue(name, out var values)) map = map.Set(name, Join(values));
        }
        return Request(request, map);
    }

    /// <summary>The response's status and header fields (repeated fields joined as <see cref="HeaderMap"/> joins them).</summary>
    public static ResponseHead Response(HttpResponse response)
    {
        var map = HeaderMap.Empty;
        foreach (var (name, values) in response.Headers)
            foreach (var value in values)
                if (value is not null) map = map.Append(name, value);
        return new ResponseHead(response.StatusCode, map);
    }

    /// <summary>Writes the fields of <paramref name="after"/> that differ from <paramref name="before"/>, and removes the ones it dropped.</summary>
    public static void Apply(HttpResponse response, ResponseHead before, ResponseHead after)
    {
        if (ReferenceEquals(before, after)) return;
        response.StatusCode = after.Status;
        foreach (var (name, value) in after.Headers)
            if (!before.Headers.Get(name).Exists(v => v == value)) response.Headers[name] = Values(name, value);
        foreach (var (name, _) in before.Headers)
            if (!after.Headers.Contains(name)) response.Headers.Remove(name);
    }

    /// <summary>Replaces the whole head: status and every field.</summary>
    public static void Replace(HttpResponse response, ResponseHead head)
    {
        response.StatusCode = head.Status;
        response.Headers.Clear();
        foreach (var (name, value) in head.Headers) response.Headers[name] = Values(name, value);
    }

    private static RequestHead Request(HttpRequest request, HeaderMap headers)
    {
        var host = request.Host.HasValue
            ? request.Host.Value!
            : $"{request.HttpContext.Connection.LocalIpAddress}:{request.HttpContext.Connection.LocalPort}";
        var query = request.QueryString.HasValue ? request.QueryString.Value!.TrimStart('?') : "";
        var path = (request.PathBase + request.Path).Value;
        return new RequestHead(request.Method, request.Scheme, host, string.IsNullOrEmpty(path) ? "/" : path, query, headers);
    }

    private static HeaderMap AllHeaders(IHeaderDictionary headers)
    {
        var map = HeaderMap.Empty;
        foreach (var (name, values) in headers) map = map.Set(name, Join(values));
        return map;
    }

    private static string Join(StringValues values) => values.Count == 1 ? values[0] ?? "" : string.Join(", ", values.ToArray());

    // Set-Cookie values are kept one per line in a HeaderMap; each is its own field on the wire.
    private static StringValues Values(string name, string value) =>
        string.Equals(name, "Set-Cookie", StringComparison.OrdinalIgnoreCase) ? new StringValues(value.Split('\n')) : new StringValues(value);
}
