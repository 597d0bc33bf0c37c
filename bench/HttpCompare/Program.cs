using Cache.Demo;
using FunctionalCache.Http.AspNetCore;

// The demo's expensive page "/" behind one cache, chosen by --mode:
//   functionalcache  our per-site middleware alone (CACHE_BACKEND, default locmem:///?store=reference)
//   outputcache      ASP.NET Core Output Caching (in-memory store), 60 s
//   uncached         no cache at all
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var mode = builder.Configuration["mode"] ?? "uncached";
var backend = Environment.GetEnvironmentVariable("CACHE_BACKEND") is { Length: > 0 } b ? b : "locmem:///?store=reference&max_entries=1000";
switch (mode)
{
    case "functionalcache": builder.Services.AddFunctionalCache(backend); break;
    case "outputcache": builder.Services.AddOutputCache(o => o.AddBasePolicy(p => p.Expire(TimeSpan.FromSeconds(60)))); break;
    case "uncached": break;
    default: throw new ArgumentException($"--mode must be functionalcache, outputcache or uncached, not '{mode}'.");
}

var app = builder.Build();
if (mode == "functionalcache") app.UseFunctionalCache(o => o.WithSeconds(60));
if (mode == "outputcache") app.UseOutputCache();
var page = app.MapGet("/", () => Results.Content(ExpensivePage.Render(DateTimeOffset.UtcNow), "text/html; charset=utf-8"));
if (mode == "outputcache") page.CacheOutput();
app.Run();
