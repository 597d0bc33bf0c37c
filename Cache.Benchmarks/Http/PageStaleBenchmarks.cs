using BenchmarkDotNet.Attributes;
using FunctionalCache.Backends;
using FunctionalCache.Backends.LocMem;
using FunctionalCache.Http.AspNetCore;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using static LanguageExt.Prelude;

namespace FunctionalCache.Benchmarks.Http;

/// <summary>
/// The page cache's serving path in-process (the per-site handler on locmem, no server): a hit on a fresh page against a
/// hit on a page in its stale-while-revalidate window (served at once while its refresh is in flight, so every stale hit
/// takes the "a refresh runs already" path), and 50 concurrent requests for a cold page with and without request
/// coalescing (time for the 50, and renders per burst in the log at the end).
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class PageStaleBenchmarks
{
    private static readonly DateTimeOffset Start = new(2024, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly SettableClock _clock = new(Start);
    private readonly TaskCompletionSource _never = new();
    private PageCacheHandler _handler = null!;
    private RequestDelegate _view = null!;
    private long _renders;
    private long _bursts;
    private long _setupRenders;
    private int _cold;

    /// <summary>Whether cold requests coalesce (the stampede case).</summary>
    [Params(true, false)]
    public bool Coalesce { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var cache = new LocMemCache(CachePolicy.Default.WithMaxEntries(100_000), CacheContext.Default.WithTime(_clock));
        var services = new PageCacheServices(cache, new CacheCounters(), NullLogger.Instance, _clock);
        var options = CacheMiddlewareOptions.Default.WithRequestCoalescing(Coalesce);
        _handler = new PageCacheHandler(options, None, Some(services));
        _view = async context =>
        {
            Interlocked.Increment(ref _renders);
            // The refresh of /stale never finishes: every stale hit then finds its refresh in flight.
            if (context.Request.Path == "/stale" && _clock.GetUtcNow() > Start) await _never.Task;
            // A render that takes a while (a database query, a template), so a burst's requests overlap it.
            if (context.Request.Path.StartsWithSegments("/cold")) await Task.Delay(2);
            context.Response.Headers.CacheControl = "max-age=60, stale-while-revalidate=86400";
            await context.Response.Body.WriteAsync("<html><body>hello</body></html>"u8.ToArray());
        };
        Serve("/stale").GetAwaiter().GetResult();
        _clock.Now = Start.AddSeconds(120);
        Serve("/fresh").GetAwaiter().GetResult();
        Serve("/stale").GetAwaiter().GetResult();
        _setupRenders = Interlocked.Read(ref _renders);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_bursts > 0)
            Console.WriteLine($"// PageStale Coalesce={Coalesce}: {(double)(Interlocked.Read(ref _renders) - _setupRenders) / _bursts:F2} renders per 50-request cold burst over {_bursts} bursts");
    }

    /// <summary>A hit on a fresh page.</summary>
    [Benchmark(Baseline = true, Description = "fresh hit")]
    public Task FreshHit() => Serve("/fresh");

    /// <summary>A hit on a page in its stale-while-revalidate window, its refresh in flight.</summary>
    [Benchmark(Description = "stale-while-revalidate hit")]
    public Task StaleHit() => Serve("/stale");

    /// <summary>50 concurrent requests for a page not in the cache (a new URL each time).</summary>
    [Benchmark(Description = "50 concurrent cold requests", OperationsPerInvoke = 50)]
    public async Task ColdStampede()
    {
        var path = "/cold/" + Interlocked.Increment(ref _cold);
        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => Serve(path))));
        _bursts++;
    }

    private Task Serve(string path)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("bench.example");
        context.Request.Path = path;
        context.Response.Body = Stream.Null;
        return _handler.InvokeAsync(context, _view);
    }

    /// <summary>A clock the benchmark sets.</summary>
    private sealed class SettableClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
