namespace FunctionalCache.Http;

/// <summary>A response's status and headers: what the header functions read and return, never mutate.</summary>
/// <param name="Status">The status code.</param>
/// <param name="Headers">The response's header fields.</param>
public sealed record ResponseHead(int Status, HeaderMap Headers)
{
    /// <summary>A 200 with no headers.</summary>
    public static ResponseHead Ok { get; } = new(200, HeaderMap.Empty);

    /// <summary>A copy with one header set.</summary>
    public ResponseHead WithHeader(string name, string value) => this with { Headers = Headers.Set(name, value) };

    /// <summary>A copy without a header.</summary>
    public ResponseHead WithoutHeader(string name) => this with { Headers = Headers.Remove(name) };
}
