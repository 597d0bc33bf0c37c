using System.Globalization;
using Cache.Demo;
using Microsoft.Net.Http.Headers;

namespace HttpCompare;

/// <summary>
/// The ceiling of the comparison: the bytes and headers our middleware replays on a hit, rendered once at start-up
/// and written as they are, with no cache lookup at all. A cache's hit path can at best match it.
/// </summary>
public sealed class BarePage
{
    private const string ContentType = "text/html; charset=utf-8";
    private readonly byte[] body;
    private readonly string cacheControl;
    private readonly string expires;
    private readonly string lastModified;

    private BarePage(byte[] body, DateTimeOffset renderedAt, TimeSpan lifetime)
    {
        this.body = body;
        cacheControl = "max-age=" + ((long)lifetime.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        expires = (renderedAt + lifetime).ToString("R", CultureInfo.InvariantCulture);
        lastModified = renderedAt.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>Renders the demo's expensive page once, as the cached page would have been rendered.</summary>
    public static BarePage RenderOnce(TimeSpan lifetime)
    {
        var now = DateTimeOffset.UtcNow;
        // HTTP dates have whole seconds; the stored page's Last-Modified is the render time so truncated.
        var renderedAt = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond));
        return new BarePage(System.Text.Encoding.UTF8.GetBytes(ExpensivePage.Render(now)), renderedAt, lifetime);
    }

    /// <summary>Writes the page with the header set of our middleware's hit (Age 0, X-Cache HIT).</summary>
    public Task WriteAsync(HttpContext context)
    {
        var response = context.Response;
        response.ContentType = ContentType;
        response.ContentLength = body.Length;
        var headers = response.Headers;
        // The header values are the start-up ones: Expires goes stale after the lifetime, which no client here reads.
        headers[HeaderNames.Age] = "0";
        headers[HeaderNames.CacheControl] = cacheControl;
        headers[HeaderNames.Expires] = expires;
        headers[HeaderNames.LastModified] = lastModified;
        headers["X-Cache"] = "HIT";
        return response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }
}
