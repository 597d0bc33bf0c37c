using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FunctionalCache.Http.AspNetCore;

// RFC 5861 on the serving path: a page in its stale-while-revalidate window is served at once while ONE background
// render per key refreshes it; a page in its stale-if-error window answers for a view that throws or answers 5xx.
// Which window a page is in is PageLifetime.At, a pure function of the deadline stored inside the page.
internal sealed partial class PageCacheHandler
{
    private const string WhileRevalidating = "stale-while-revalidate";
    private const string OnError = "stale-if-error";

    // The keys being refreshed in the background: a page is re-rendered by one task at a time on this node.
    private readonly ConcurrentDictionary<string, byte> _refreshing = new(StringComparer.Ordinal);

    /// <summary>
    /// The lookup to render with once the page found is past its revalidation window: forwarded as stale
    /// (RFC 9211 <c>fwd=stale</c>), with the page kept as the answer for a failing view while in its stale-if-error window.
    /// </summary>
    private static Lookup AfterStale(Lookup lookup, ServedEntry cached, PageCacheServices services) =>
        lookup with
        {
            Entry = null,
            Forward = CacheStatusForward.Stale,
            Stale = cached.FreshnessAt(services.Time.GetUtcNow()) == PageFreshness.StaleIfError ? cached : null,
        };

    /// <summary>Serves the stale page now (Cache-Status <c>hit; ttl=-N; detail=stale-while-revalidate</c>) and starts its refresh unless one runs.</summary>
    private async Task ServeWhileRevalidatingAsync(HttpContext context, RequestDelegate next, ServedEntry cached, PageCacheServices services, CacheLayerCounters layer, Lookup lookup)
    {
        layer.Hit();
        layer.StaleHit();
        if (lookup.Key is { } key && _refreshing.TryAdd(key, 0))
        {
            // The request is copied before it is answered: ASP.NET Core reuses the context once the response completes.
            var copy = BackgroundRequest.Of(context);
            layer.Revalidating();
            // No flow of the request's execution context (its HttpContext in IHttpContextAccessor, its activity) into the refresh.
            using (ExecutionContext.SuppressFlow())
                _ = Task.Run(() => RevalidateAsync(copy, next, services, layer, lookup, key));
        }
        var member = CacheStatusEntry.ForHit(CacheStatusMembers.CacheName).WithTtl(StaleTtl(cached, services)).WithDetail(WhileRevalidating);
        await ServeAsync(context, cached, services, member).ConfigureAwait(false);
    }

    /// <summary>One background render of a stale page through the same pipeline; it stores as a miss would, and never throws.</summary>
    private async Task RevalidateAsync(BackgroundRequest copy, RequestDelegate next, PageCacheServices services, CacheLayerCounters layer, Lookup lookup, string key)
    {
        Exception? failure = null;
        int? refusedStatus = null;
        try
        {
            await using var context = copy.Start();
            var refresh = lookup with { Entry = null, Forward = CacheStatusForward.Stale, Stale = null };
            var stored = await RunAndUpdateAsync(context.Context, next, services, layer, refresh, counted: false).ConfigureAwait(false);
            if (!stored) refusedStatus = context.Context.Response.StatusCode;
        }
        catch (Exception e)
        {
            failure = e;
        }
        finally
        {
            // Released before the failure is counted: whoever sees the count may rely on the next stale hit starting
            // another refresh (it did not, while this one still held the key).
            _refreshing.TryRemove(key, out _);
        }
        if (failure is not null)
        {
            layer.RevalidationFailed();
            services.Logger.LogWarning(failure, "Background refresh of {Path} failed; the stale page is served until its window ends: {Message}", copy.Path, failure.Message);
        }
        else if (refusedStatus is { } status)
        {
            layer.RevalidationFailed();
            services.Logger.LogWarning("Background refresh of {Path} was not stored (status {Status}); the stale page is served until its window ends.", copy.Path, status);
        }
    }

    /// <summary>
    /// Answers with the stale page in place of the view's failure (an exception, or <paramref name="failedStatus"/>):
    /// Cache-Status <c>fwd=stale; fwd-status=N; ttl=-N; detail=stale-if-error</c>, logged and counted.
    /// </summary>
    private static async Task ServeStaleOnErrorAsync(HttpContext context, ServedEntry stale, PageCacheServices services, CacheLayerCounters layer,
        Action<CacheStatusEntry> writeStatus, int? failedStatus, Exception? failure)
    {
        layer.Hit();
        layer.ServedStaleOnError();
        if (failure is not null)
            services.Logger.LogWarning(failure, "The view for {Path} failed; serving the stale page (stale-if-error): {Message}", context.Request.Path, failure.Message);
        else
            services.Logger.LogWarning("The view for {Path} answered {Status}; serving the stale page (stale-if-error).", context.Request.Path, failedStatus);
        context.Response.Clear();
        var member = CacheStatusEntry.ForForward(CacheStatusMembers.CacheName, CacheStatusForward.Stale);
        if (failedStatus is { } status) member = member.WithForwardStatus(status);
        member = member.WithTtl(StaleTtl(stale, services)).WithDetail(failure is null ? OnError : OnError + ": view threw " + failure.GetType().Name);
        await ServeAsync(context, stale, services, member, writeStatus).ConfigureAwait(false);
    }

    // The freshness left, negative once stale (RFC 9211 ttl), from the deadline inside the page.
    private static long StaleTtl(ServedEntry cached, PageCacheServices services) =>
        cached.Lifetime?.TtlAt(services.Time.GetUtcNow()) ?? cached.TtlAt(services.Time.GetUtcNow()).IfNone(0);

    /// <summary>The form a page is stored in: with its lifetime when it has a stale window or local pages are on, and kept for its freshness plus the longer window.</summary>
    private (CachedResponse Entry, CacheTimeout Timeout) StoredForm(CachedResponse response, StoreDecision.StoreCase store, PageCacheServices services)
    {
        var windows = StaleWindows.Of(store.Response, _options.DefaultStaleWindows);
        // With local pages, every page carries its deadline, so a local copy never outlives the backend's (PageCacheHandler.Local.cs).
        if (windows.Longest == 0 && services.Local is null) return (response, CacheTimeout.Seconds(store.Seconds));
        var lifetime = PageLifetime.Of(services.Time.GetUtcNow(), store.Seconds, windows);
        return (response.WithLifetime(lifetime), CacheTimeout.Seconds(PageLifetime.StoreSeconds(store.Seconds, windows)));
    }
}
