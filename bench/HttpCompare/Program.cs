using Cache.Demo;
using FunctionalCache.Http.AspNetCore;
using HttpCompare;

// The demo's expensive page "/" behind one cache, chosen by --mode:
//   functionalcache  our per-site middleware alone (CACHE_BACKEND, default locmem:///?store=reference); with
//                    LOCAL_PAGES=<seconds>, the local page cache in front of it with that lifetime
//   outputcache      ASP.NET Core Output Caching (in-memory store), 60 s
//   uncached         no cache at all
//   bare             the page rendered once at start-up, served with our hit's headers: the ceiling (BarePage)
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var mode = builder.Configuration["mode"] ?? "uncached";
var backend = Environment.GetEnvironmentVariable("CACHE_BACKEND") is { Length: > 0 } b ? b : "locmem:///?store=reference&max_entries=1000";
switch (mode)
{
    case "functionalcache":
        builder.Services.AddFunctionalCache(backend);
        if (Environment.GetEnvironmentVariable("LOCAL_PAGES") is { Length: > 0 } seconds)
            builder.Services.AddLocalPageCache(o => o.WithLifetime(TimeSpan.FromSeconds(double.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture))));
        break;
    case "outputcache": builder.Services.AddOutputCache(o => o.AddBasePolicy(p => p.Expire(TimeSpan.FromSeconds(60)))); break;
    case "uncached": break;
    case "bare": break;
    default: throw new ArgumentException($"--mode must be functionalcache, outputcache, uncached or bare, not '{mode}'.");
}

var app = builder.Build();
if (mode == "functionalcache") app.UseFunctionalCache(o => o.WithSeconds(60));
if (mode == "outputcache") app.UseOutputCache();
if (mode == "bare")
{
    var bare = BarePage.RenderOnce(TimeSpan.FromSeconds(60));
    app.MapGet("/", bare.WriteAsync);
}
else
{
    var page = app.MapGet("/", () => Results.Content(ExpensivePage.Render(DateTimeOffset.UtcNow), "text/html; charset=utf-8"));
    if (mode == "outputcache") page.CacheOutput();
}
app.Run();
