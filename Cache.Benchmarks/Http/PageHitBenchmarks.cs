using System.Text;
using BenchmarkDotNet.Attributes;
using FunctionalCache.Http.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionalCache.Benchmarks.Http;

/// <summary>
/// A cached page's hit in-process, no server and no socket: our per-site middleware against ASP.NET Core Output Caching
/// (in-memory store), each as the only middleware of a pipeline in front of the same view, and the view alone writing
/// the page (the floor: what any hit must still do). The request is a fresh <see cref="DefaultHttpContext"/> whose body
/// goes to <see cref="Stream.Null"/>, the same for every row.
/// </summary>
/// <remarks>
/// <c>bench/http.sh</c> measures the same comparison through Kestrel under wrk, where wrk and the servers share this
/// machine's two cores and rounds move by 2×; this class measures only what the caches add, so its ratio is the steady
/// one. The page is about 2 KB of HTML, the size of the demo's home page.
/// </remarks>
[MemoryDiagnoser]
[MediumRunJob]
public class PageHitBenchmarks
{
    private static readonly byte[] Page = Encoding.UTF8.GetBytes(
        "<!doctype html><html><head><title>Primes</title></head><body>" + string.Concat(Enumerable.Range(0, 190).Select(i => $"<i>{i * 7}</i>")) + "</body></html>");

    private readonly List<ServiceProvider> _providers = [];
    private Site _bare = null!;
    private Site _functionalReference = null!;
    private Site _functionalCopy = null!;
    private Site _outputCache = null!;

    [GlobalSetup]
    public void Setup()
    {
        _bare = Pipeline(_ => { }, _ => { });
        _functionalReference = Pipeline(
            services => services.AddFunctionalCache("locmem:///?store=reference&max_entries=1000"),
            app => app.UseFunctionalCache(o => o.WithSeconds(60)));
        _functionalCopy = Pipeline(
            services => services.AddFunctionalCache("locmem:///?max_entries=1000"),
            app => app.UseFunctionalCache(o => o.WithSeconds(60)));
        _outputCache = Pipeline(
            services => services.AddOutputCache(o => o.AddBasePolicy(p => p.Expire(TimeSpan.FromSeconds(60)))),
            app => app.UseOutputCache());
        // The first request of each stores the page; every measured one is a hit.
        foreach (var site in new[] { _functionalReference, _functionalCopy, _outputCache })
        {
            Serve(site).GetAwaiter().GetResult();
            var hit = NewRequest(site);
            site.Pipeline(hit).GetAwaiter().GetResult();
            if (!IsHit(hit)) throw new InvalidOperationException("The second request of a pipeline was not answered from its cache.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var provider in _providers) provider.Dispose();
    }

    /// <summary>The view alone: the floor.</summary>
    [Benchmark(Baseline = true, Description = "view alone (no cache)")]
    public Task Bare() => Serve(_bare);

    /// <summary>Our middleware on locmem holding references (bench/http.sh's fc-locmem).</summary>
    [Benchmark(Description = "FunctionalCache middleware (locmem reference)")]
    public Task FunctionalReference() => Serve(_functionalReference);

    /// <summary>Our middleware on the default locmem, which holds the page's bytes as a copy.</summary>
    [Benchmark(Description = "FunctionalCache middleware (locmem copy)")]
    public Task FunctionalCopy() => Serve(_functionalCopy);

    /// <summary>ASP.NET Core Output Caching, in-memory store, 60 s base policy.</summary>
    [Benchmark(Description = "Output Caching")]
    public Task OutputCache() => Serve(_outputCache);

    /// <summary>
    /// <c>page-profile ROW SECONDS</c>: one row's request loop alone in the process, for a sampling profiler
    /// (<c>perf record</c> with the runtime's perf map), printing CPU time per request; the rows are bare, reference, copy
    /// and outputcache.
    /// </summary>
    public static int Profile(string[] args)
    {
        var bench = new PageHitBenchmarks();
        bench.Setup();
        Func<Task>? row = args.ElementAtOrDefault(1) switch
        {
            "bare" => bench.Bare,
            "reference" => bench.FunctionalReference,
            "copy" => bench.FunctionalCopy,
            "outputcache" => bench.OutputCache,
            _ => null,
        };
        if (row is null || args.Length < 3)
        {
            Console.Error.WriteLine("usage: page-profile bare|reference|copy|outputcache SECONDS");
            return 2;
        }
        var seconds = double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < 200_000; i++) row().GetAwaiter().GetResult();
        Console.WriteLine($"profiling {args[1]} for {seconds} s (pid {Environment.ProcessId})");
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var requests = 0L;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            for (var i = 0; i < 1000; i++) row().GetAwaiter().GetResult();
            requests += 1000;
        }
        var cpuPerRequest = (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalNanoseconds / requests;
        Console.WriteLine($"{args[1]}: {cpuPerRequest:F0} CPU ns per request");
        bench.Cleanup();
        return 0;
    }

    private Site Pipeline(Action<IServiceCollection> register, Action<IApplicationBuilder> use)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        register(services);
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        var app = new ApplicationBuilder(provider);
        use(app);
        app.Run(View);
        return new Site(app.Build(), provider);
    }

    // The page as a view writes it: a cacheable answer with its type and length.
    private static Task View(HttpContext context)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.ContentLength = Page.Length;
        return context.Response.Body.WriteAsync(Page).AsTask();
    }

    private static Task Serve(Site site) => site.Pipeline(NewRequest(site));

    private static DefaultHttpContext NewRequest(Site site)
    {
        var context = new DefaultHttpContext { RequestServices = site.Services };
        context.Request.Method = "GET";
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("bench.example");
        context.Request.Path = "/";
        context.Response.Body = Stream.Null;
        return context;
    }

    // Either cache's hit carries an Age header; a rendered page has none.
    private static bool IsHit(HttpContext context) => context.Response.Headers.Age.Count > 0;

    /// <summary>A pipeline and the services its requests see, as a host would pair them.</summary>
    private sealed record Site(RequestDelegate Pipeline, IServiceProvider Services);
}
