using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace FunctionalCache.Http.AspNetCore;

// Request coalescing for a page that is not in the cache (ASP.NET Core Output Caching's locking): the first request
// for a key renders; requests for the same key that arrive meanwhile wait for it, then are served what it stored, or
// render themselves when it stored nothing (a private page, a cookie set, an error status, a failed store).
internal sealed partial class PageCacheHandler
{
    // The renders in progress on this node, by the key the lookup missed: the URL's header-list key when the URL is
    // unknown, the page key of this request's variant otherwise. Each completes with "stored".
    private readonly ConcurrentDictionary<string, TaskCompletionSource<bool>> _rendering = new(StringComparer.Ordinal);

    /// <summary>Renders the page for a request the cache could not answer, once for all concurrent requests of its key.</summary>
    private async Task RenderOnceAsync(HttpContext context, RequestDelegate next, PageCacheServices services, CacheLayerCounters layer, Lookup lookup)
    {
        if (!_options.CoalesceRequests || lookup.Key is not { } key)
        {
            await RunAndUpdateAsync(context, next, services, layer, lookup).ConfigureAwait(false);
            return;
        }

        var mine = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var leader = _rendering.GetOrAdd(key, mine);
        if (!ReferenceEquals(leader, mine))
        {
            var stored = await leader.Task.WaitAsync(context.RequestAborted).ConfigureAwait(false);
            if (stored && await ServeStoredAsync(context, services, layer, lookup.Forward, collapsed: true).ConfigureAwait(false)) return;
            // Nothing to share: this request renders for itself, as the leader did.
            await RunAndUpdateAsync(context, next, services, layer, lookup).ConfigureAwait(false);
            return;
        }

        var done = false;
        try
        {
            // A render that finished between this request's lookup and its claim has stored the page already.
            done = await ServeStoredAsync(context, services, layer, lookup.Forward, collapsed: false).ConfigureAwait(false)
                || await RunAndUpdateAsync(context, next, services, layer, lookup).ConfigureAwait(false);
        }
        finally
        {
            _rendering.TryRemove(new KeyValuePair<string, TaskCompletionSource<bool>>(key, mine));
            mine.TrySetResult(done);
        }
    }

    /// <summary>
    /// Serves the page from the cache when it is there and fresh now; false otherwise. A request that waited is
    /// answered with Cache-Status <c>fwd=…; ttl=N; collapsed</c> (RFC 9211: reused from another request's forward).
    /// </summary>
    private async ValueTask<bool> ServeStoredAsync(HttpContext context, PageCacheServices services, CacheLayerCounters layer, string forward, bool collapsed)
    {
        var again = await LookupAsync(context.Request, services, layer).ConfigureAwait(false);
        var now = services.Time.GetUtcNow();
        if (again.Entry is not { } page || page.FreshnessAt(now) != PageFreshness.Fresh) return false;
        layer.Hit();
        if (again.Local) layer.LocalHit();
        if (!collapsed)
        {
            await ServeAsync(context, page, services).ConfigureAwait(false);
            return true;
        }
        layer.CollapsedHit();
        var member = CacheStatusEntry.ForForward(CacheStatusMembers.CacheName, forward).WithCollapsed();
        member = page.TtlAt(now).Match(ttl => member.WithTtl(ttl), () => member);
        await ServeAsync(context, page, services, member).ConfigureAwait(false);
        return true;
    }
}
