using BenchmarkDotNet.Attributes;
using FunctionalCache.Http;

namespace FunctionalCache.Benchmarks.Http;

/// <summary>
/// Django's <c>patch_vary_headers</c> on a realistic header: a view's <c>Accept-Encoding, Cookie</c> patched by the
/// middleware with <c>Accept-Language</c> and <c>cookie</c> (already listed, in another case). Times are per patch.
/// </summary>
/// <remarks>
/// Baseline: a naive split, trim, case-insensitive distinct and <see cref="string.Join(string, IEnumerable{string})"/>
/// with LINQ, which gets the star and Django's "new names are not deduplicated among themselves" rule wrong but does
/// the same amount of text work.
/// </remarks>
[MemoryDiagnoser]
[ShortRunJob]
public class PatchVaryHeadersBenchmarks
{
    private const string Existing = "Accept-Encoding, Cookie";
    private static readonly string[] NewHeaders = ["Accept-Language", "cookie"];
    private readonly ResponseHead _response = ResponseHead.Ok.WithHeader("Content-Type", "text/html").WithHeader("Vary", Existing);

    /// <summary>Split on commas, trim, distinct ignoring case, join.</summary>
    [Benchmark(Baseline = true, Description = "naive split/distinct/join")]
    public string Naive() =>
        string.Join(", ", Existing.Split(',').Select(h => h.Trim()).Concat(NewHeaders).Distinct(StringComparer.OrdinalIgnoreCase));

    /// <summary>FunctionalCache: text in, text out.</summary>
    [Benchmark(Description = "Vary.PatchVaryHeaders(text)")]
    public string Text() => Vary.PatchVaryHeaders(Existing, NewHeaders);

    /// <summary>FunctionalCache over the immutable response model (read the field, patch, write a new map).</summary>
    [Benchmark(Description = "Vary.PatchVaryHeaders(ResponseHead)")]
    public ResponseHead Response() => Vary.PatchVaryHeaders(_response, NewHeaders);

    /// <summary>The middleware's question before storing.</summary>
    [Benchmark(Description = "Vary.HasVaryHeader")]
    public bool Has() => Vary.HasVaryHeader(Existing, "cookie");
}
