using BenchmarkDotNet.Attributes;
using FunctionalCache.Http;
using System.Net.Http.Headers;

namespace FunctionalCache.Benchmarks.Http;

/// <summary>
/// Django's <c>patch_cache_control</c> on a realistic header: a view's
/// <c>public, max-age=3600, stale-while-revalidate=60, no-cache="Set-Cookie"</c> patched by the middleware with
/// <c>max-age=600</c> and <c>must-revalidate</c>, read and written back as text. Times are per patch.
/// </summary>
/// <remarks>
/// Baseline: the framework's own <see cref="CacheControlHeaderValue"/> (System.Net.Http, the parser HttpClient uses)
/// doing the same parse, change and format (it has no merge rules, so the min is taken by hand). A naive string
/// append shows the floor.
/// </remarks>
[MemoryDiagnoser]
[ShortRunJob]
public class PatchCacheControlBenchmarks
{
    private const string Existing = "public, max-age=3600, stale-while-revalidate=60, no-cache=\"Set-Cookie\"";
    private static readonly TimeSpan Seconds = TimeSpan.FromSeconds(600);
    private readonly CacheControlPatch _patch = CacheControlPatch.Empty.MaxAge(600).MustRevalidate();
    private readonly CacheControl _parsed = CacheControl.Parse(Existing);

    /// <summary>The framework's parser: parse, take the smaller max-age, set must-revalidate, format.</summary>
    [Benchmark(Baseline = true, Description = "CacheControlHeaderValue parse + format")]
    public string Framework()
    {
        var value = CacheControlHeaderValue.Parse(Existing);
        value.MaxAge = value.MaxAge is { } age && age < Seconds ? age : Seconds;
        value.MustRevalidate = true;
        return value.ToString();
    }

    // Read from a field set in GlobalSetup: a constant here would let the compiler fold the append away (0 ns).
    private string _existing = "";

    /// <summary>Sets the naive append's input at run time.</summary>
    [GlobalSetup]
    public void Setup() => _existing = Existing;

    /// <summary>The floor: append the new directives without reading the old ones (wrong, but cheap).</summary>
    [Benchmark(Description = "naive string append")]
    public string Naive() => _existing + ", max-age=600, must-revalidate";

    /// <summary>FunctionalCache: text in, text out.</summary>
    [Benchmark(Description = "CacheHeaders.PatchCacheControl")]
    public string PatchCacheControl() => CacheHeaders.PatchCacheControl(Existing, _patch);

    /// <summary>FunctionalCache: the merge alone, on an already parsed value.</summary>
    [Benchmark(Description = "CacheControl.Patch (parsed)")]
    public CacheControl PatchParsed() => _parsed.Patch(_patch);

    /// <summary>FunctionalCache: <c>get_max_age</c> on the same header.</summary>
    [Benchmark(Description = "CacheHeaders.GetMaxAge")]
    public long GetMaxAge() => CacheHeaders.GetMaxAge(Existing).IfNone(-1);
}
