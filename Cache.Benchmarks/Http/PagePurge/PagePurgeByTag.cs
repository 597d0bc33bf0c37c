using System.Diagnostics;
using System.Globalization;
using FunctionalCache.Backends;
using FunctionalCache.Backends.LocMem;
using FunctionalCache.Backends.Redis;
using FunctionalCache.Benchmarks.Backends.Tiers;
using FunctionalCache.Benchmarks.Peers;
using FunctionalCache.Http.AspNetCore;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using static LanguageExt.Prelude;

namespace FunctionalCache.Benchmarks.Http.PagePurge;

/// <summary>
/// The page purge measure: 10,000 pages cached through the per-site page cache (the handler in-process, every
/// page tagged <c>bulk</c>), the tag evicted through <see cref="IPageCache.EvictByTagAsync"/>, and every page requested
/// again: the time the eviction took, and a check that each of those requests rendered (none served from the cache;
/// the run fails otherwise). On locmem and on one local Redis.
/// </summary>
public static class PagePurgeByTag
{
    /// <summary>The number of cached pages.</summary>
    public const int Pages = 10_000;

    /// <summary>The command-line entry (<c>page-purge</c>): measures, prints, and merges the rows into the resilience results.</summary>
    public static async Task RunAsync() => Console.WriteLine($"written to {BenchResults.Merge(ResilienceSuite.Name, await MeasureAsync())}");

    /// <summary>The eviction time per cache (ms), as rows of the resilience suite.</summary>
    internal static async Task<IReadOnlyList<ResultRow>> MeasureAsync()
    {
        var rows = new List<ResultRow>();
        rows.Add(await MeasureAsync("FunctionalCache page cache (locmem)", new LocMemCache(CachePolicy.Default.WithMaxEntries(100_000), CacheContext.Default)));
        using (var server = new RedisServer())
        using (var redis = new RedisCache(RedisOptions.Parse(server.Location), CachePolicy.Default, CacheContext.Default))
            rows.Add(await MeasureAsync("FunctionalCache page cache (redis)", redis));
        return rows;
    }

    private static async Task<ResultRow> MeasureAsync(string series, ICache cache)
    {
        using var provider = new ServiceCollection().AddFunctionalCache(cache).BuildServiceProvider();
        var pages = provider.GetRequiredService<IPageCache>();
        var handler = new PageCacheHandler(CacheMiddlewareOptions.Default.WithSeconds(600).WithTags("bulk"), None,
            Some(new PageCacheServices(cache, new CacheCounters(), NullLogger.Instance, TimeProvider.System)));
        long renders = 0;
        RequestDelegate view = async context =>
        {
            Interlocked.Increment(ref renders);
            context.Response.Headers.CacheControl = "max-age=600";
            await context.Response.Body.WriteAsync("<html><body>page</body></html>"u8.ToArray());
        };
        async Task ServeAll()
        {
            // Eight in flight, as a server's workers would be; the handler runs in-process, no sockets.
            using var gate = new SemaphoreSlim(8);
            await Task.WhenAll(Enumerable.Range(0, Pages).Select(async i =>
            {
                await gate.WaitAsync();
                try { await handler.InvokeAsync(Request($"/p/{i}"), view); }
                finally { gate.Release(); }
            }));
        }

        await ServeAll();
        await ServeAll();
        if (Interlocked.Read(ref renders) != Pages) throw new InvalidOperationException($"{series}: {renders} renders for {Pages} pages served twice; each should have been cached after its first.");
        // The eviction's own code warmed on another tag, so the figure is the eviction, not the JIT.
        (await pages.EvictByTagAsync("warm-up")).IfLeft(error => throw new InvalidOperationException(error.Message));
        // The garbage of 20,000 requests collected first, so a collection does not land inside the one timed call.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var started = Stopwatch.GetTimestamp();
        var evicted = await pages.EvictByTagAsync("bulk");
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        evicted.IfLeft(error => throw new InvalidOperationException($"{series}: the eviction failed: {error.Message}"));
        await ServeAll();
        var servedAfter = Pages - (Interlocked.Read(ref renders) - Pages);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{series}: {Pages} cached pages evicted by tag in {elapsed:F3} ms; {servedAfter} of {Pages} served from the cache after"));
        if (servedAfter != 0) throw new InvalidOperationException($"{series}: {servedAfter} pages were served from the cache after the eviction returned.");
        return new ResultRow(ResilienceSuite.Name, "page purge by tag, 10,000 pages", series, "ours", elapsed, "ms");
    }

    private static DefaultHttpContext Request(string path)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("bench.example");
        context.Request.Path = path;
        context.Response.Body = Stream.Null;
        return context;
    }
}
