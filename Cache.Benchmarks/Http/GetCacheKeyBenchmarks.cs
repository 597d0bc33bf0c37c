using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using FunctionalCache.Http;

namespace FunctionalCache.Benchmarks.Http;

/// <summary>
/// The page cache key of a realistic request: <c>GET https://www.example.com/products/list/?page=2&amp;sort=price</c> with
/// browser headers, looked up with the learned header list <c>[HTTP_ACCEPT_ENCODING, HTTP_COOKIE]</c>. Times are per key.
/// </summary>
/// <remarks>
/// Baseline: the naive key: one MD5 over the URL and the header values joined with <see cref="string.Join(string, string[])"/>
/// (no Django escaping, no framing, so absent and empty values collide). <c>LearnCacheKey</c> adds reading the Vary field,
/// building the sorted list and the header key.
/// </remarks>
[MemoryDiagnoser]
[ShortRunJob]
public class GetCacheKeyBenchmarks
{
    private static readonly string[] StoredList = ["HTTP_ACCEPT_ENCODING", "HTTP_COOKIE"];

    private readonly RequestHead _request = new(
        "GET", "https", "www.example.com", "/products/list/", "page=2&sort=price",
        HeaderMap.Of(
            ("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
            ("Accept-Encoding", "gzip, deflate, br"),
            ("Accept-Language", "en-US,en;q=0.5"),
            ("Cookie", "sessionid=4b7c1e0f9a2d; csrftoken=Zx81kQ"),
            ("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")));

    private readonly ResponseHead _response = ResponseHead.Ok.WithHeader("Vary", "Accept-Encoding, Cookie");

    /// <summary>MD5 of the URL and the joined header values, hex.</summary>
    [Benchmark(Baseline = true, Description = "naive MD5(url + string.Join(values))")]
    public string Naive()
    {
        var url = _request.Scheme + "://" + _request.Host + _request.Path + "?" + _request.QueryString;
        var values = string.Join("", StoredList.Select(h => _request.Headers.Get(h.Substring(5).Replace('_', '-')).IfNone("")));
        return "views.decorators.cache.cache_page.p.GET." + Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(url + values)));
    }

    /// <summary>FunctionalCache: the page key for a stored header list (the fetch half of the middleware).</summary>
    [Benchmark(Description = "PageCacheKeys.GetCacheKey")]
    public string GetCacheKey() => PageCacheKeys.GetCacheKey(_request, StoredList, "p");

    /// <summary>FunctionalCache: learning from the response's Vary (the update half): list, header key and page key.</summary>
    [Benchmark(Description = "PageCacheKeys.LearnCacheKey")]
    public LearnedCacheKey LearnCacheKey() => PageCacheKeys.LearnCacheKey(_request, _response, "p");
}
