using Cache.Demo;
using Fluid;
using FunctionalCache;
using FunctionalCache.Backends;
using FunctionalCache.Backends.Database;
using FunctionalCache.Http.AspNetCore;
using FunctionalCache.Http.Fragments;

// The FunctionalCache demo site: the seed chapter's per-site and per-view caches on ASP.NET Core.
// Cache: CACHE_BACKEND from the environment, else the embedded default, a db:// table in a SQLite
// file beside the app (or in the temp directory when that is not writable). Address: --urls, else
// http://127.0.0.1:5000.
var builder = WebApplication.CreateBuilder(args);
if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls("http://127.0.0.1:5000");

var backend = Environment.GetEnvironmentVariable("CACHE_BACKEND");
if (string.IsNullOrEmpty(backend))
{
    var database = Path.Combine(WritableDirectory(), "demo.sqlite");
    await DatabaseCacheTable.CreateAsync(DatabaseLocation.Sqlite(database), "demo_cache");
    backend = $"db://demo_cache?database={database}";
}
else if (ConfigurationError(backend) is { Length: > 0 } error)
{
    // A configuration mistake is the user's to fix: one line naming it and exit 2 (a usage error, as fcache's), no stack trace.
    await Console.Error.WriteLineAsync(error);
    return 2;
}

builder.Services.AddFunctionalCache(backend);
builder.Services.AddResponseCompression();
var app = builder.Build();
app.Logger.LogInformation("Cache backend: {Backend}", BackendUri.Redact(backend));

// Django's order: conditional GET, then the cache (so it sees compression's Vary), then compression.
app.UseConditionalGet();
app.UseFunctionalCache(o => o.WithSeconds(60).WithKeyPrefix("demo"));
// ResponseCompression adds Vary: Accept-Encoding only for clients that accept gzip; saying it for every
// response keeps the plain and compressed variants apart whichever is cached first.
app.Use(Decorators.VaryOnHeaders("Accept-Encoding"));
app.UseResponseCompression();

// Every page answers HEAD as its GET, without the body: ASP.NET Core answers 405 to a HEAD on a MapGet route, so the
// pages are mapped for both methods.
string[] getAndHead = [HttpMethods.Get, HttpMethods.Head];

// The sidebar is a template fragment cached by the {% cache %} tag for 500 s, longer than the page around it. When the
// cache fails the sidebar is rendered uncached, and the failure is logged and counted on /stats, as for pages.
var fragments = new FragmentCacheParser(app.Services.GetRequiredService<ICache>(), new FluidParserOptions(), FragmentCacheFailures.Reporter(app.Services));
var sidebar = fragments.Parse(
    """{% cache 500 "sidebar" site %}<aside>Sidebar of {{ site }}, rendered at {{ now }} and cached for 500 s by the fragment cache.</aside>{% endcache %}""");
app.MapMethods("/", getAndHead, async () =>
{
    var context = new TemplateContext();
    context.SetValue("site", "the demo");
    context.SetValue("now", DateTimeOffset.UtcNow.ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture));
    return Results.Content(ExpensivePage.Render(DateTimeOffset.UtcNow, await sidebar.RenderAsync(context)), "text/html; charset=utf-8");
});

app.MapMethods("/foo/{n:int}/", getAndHead, (int n) => Results.Text($"foo {n}, rendered at {DateTimeOffset.UtcNow:HH:mm:ss.fff}\n"))
    .CachePage(TimeSpan.FromMinutes(15));

app.MapMethods("/inbox", getAndHead, (HttpRequest request) =>
        Results.Text(request.Cookies.TryGetValue("user", out var user)
            ? $"inbox of {user}: 3 new messages (rendered at {DateTimeOffset.UtcNow:HH:mm:ss.fff})\n"
            : "nobody is logged in: visit /login?user=NAME\n"))
    .VaryOnCookie();

app.MapMethods("/login", getAndHead, (HttpResponse response, string? user) =>
{
    response.Cookies.Append("user", string.IsNullOrEmpty(user) ? "alice" : user);
    return Results.Text($"logged in as {(string.IsNullOrEmpty(user) ? "alice" : user)}\n");
});

app.MapMethods("/never", getAndHead, () => Results.Text($"never cached: {DateTimeOffset.UtcNow:HH:mm:ss.fff}\n")).NeverCache();

app.MapMethods("/stats", getAndHead, (CacheCounters counters) => Results.Text(StatsPage.Render(counters))).NeverCache();

app.Run();
return 0;

// Why CACHE_BACKEND cannot be used (every problem on one line), or "" when it builds a cache: checked before the
// server starts, where AddFunctionalCache would only check the URI's syntax and the first request would meet the rest.
static string ConfigurationError(string uri) =>
    Caches.TryFromUri(uri, CacheContext.Default).Match(
        Succ: cache =>
        {
            (cache as IDisposable)?.Dispose();
            return "";
        },
        Fail: problems => $"Cache.Demo: CACHE_BACKEND '{BackendUri.Redact(uri)}' is not a usable cache URI: {string.Join("; ", problems.Map(p => p.Message.ReplaceLineEndings(" ")))}");

static string WritableDirectory()
{
    var dir = AppContext.BaseDirectory;
    try
    {
        var probe = Path.Combine(dir, ".write-probe");
        File.WriteAllText(probe, "");
        File.Delete(probe);
        return dir;
    }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
    {
        return Path.GetTempPath();
    }
}
