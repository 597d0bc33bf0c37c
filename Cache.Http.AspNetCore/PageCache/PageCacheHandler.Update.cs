using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FunctionalCache.Http.AspNetCore;

// The update half: run the view with its body held, decide through PageCacheRules, store, and say what was done.
internal sealed partial class PageCacheHandler
{
    // Fields that describe one transmission, not the page: never stored, never replayed.
    private static readonly string[] NotStored = ["X-Cache", CacheStatus.FieldName, "Age", "Date", "Connection", "Keep-Alive", "Transfer-Encoding", "Set-Cookie"];

    private const string HeadWithoutBody = "HEAD response without a body";
    private const string StoreFailed = "store failed";

    /// <summary>This layer's Cache-Status member for one miss: the streamed case until the decision replaces it.</summary>
    private sealed class MissStatus(HttpResponse response, CacheStatusEntry streamed)
    {
        private bool _written;

        // A response that starts before the decision is streamed: it was not stored.
        public void Register() => response.OnStarting(static state =>
        {
            var status = (MissStatus)state;
            if (!status._written) status.Write(status.Streamed);
            return Task.CompletedTask;
        }, this);

        public CacheStatusEntry Streamed => streamed;

        public void Write(CacheStatusEntry entry)
        {
            _written = true;
            CacheStatusMembers.AppendNow(response, entry);
        }
    }

    // Runs the view and stores its response when the rules allow; true when it was stored. A background refresh passes
    // counted: false, as it is no request and belongs in no request count.
    private async Task<bool> RunAndUpdateAsync(HttpContext context, RequestDelegate next, PageCacheServices services, CacheLayerCounters layer, Lookup lookup, bool counted = true)
    {
        var response = context.Response;
        var status = new MissStatus(response, CacheStatusMembers.Forwarded(lookup.Forward, false, Detail(lookup.Detail, SkipReason.Streaming)));
        status.Register();
        ResponseBuffer buffer;
        try
        {
            buffer = await ResponseBuffer.CaptureAsync(context, next, _options.MaximumBodySize).ConfigureAwait(false);
        }
        catch (Exception e) when (lookup.Stale is not null && !response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            await ServeStaleOnErrorAsync(context, lookup.Stale, services, layer, status.Write, null, e).ConfigureAwait(false);
            return false;
        }
        if (buffer.Streaming)
        {
            if (counted) layer.NotCacheableResponse();
            return false;
        }
        if (lookup.Stale is not null && response.StatusCode >= 500)
        {
            await ServeStaleOnErrorAsync(context, lookup.Stale, services, layer, status.Write, response.StatusCode, null).ConfigureAwait(false);
            return false;
        }

        var before = HttpHeads.Response(response);
        var request = HttpHeads.Request(context.Request);
        var decision = PageCacheRules.DecideUpdate(request, before, streaming: false, _pageTimeout, _options.Seconds, services.Time.GetUtcNow());
        HttpHeads.Apply(response, before, decision.Response);
        var body = buffer.Body;
        // A view that wrote nothing for a HEAD must not leave a page without a body (or its length) behind.
        var skipped = decision is StoreDecision.SkipCase skip ? skip.Reason
            : body.IsEmpty && HttpMethods.IsHead(request.Method) ? HeadWithoutBody
            : null;
        var stored = false;
        if (skipped is null)
        {
            if (counted) layer.Miss();
            stored = await StoreAsync(context, request, (StoreDecision.StoreCase)decision, body, services, layer).ConfigureAwait(false);
            status.Write(CacheStatusMembers.Forwarded(lookup.Forward, stored, stored ? lookup.Detail : Detail(lookup.Detail, StoreFailed)));
        }
        else
        {
            if (counted) layer.NotCacheableResponse();
            FunctionalCache.Backends.Diagnostics.CacheMetrics.RecordBypass(_options.CacheAlias, services.Cache);
            status.Write(CacheStatusMembers.Forwarded(lookup.Forward, false, Detail(lookup.Detail, skipped)));
        }
        if (response.StatusCode is 204 or 304 || body.IsEmpty) return stored;
        if (!response.Headers.ContainsKey("Transfer-Encoding")) response.ContentLength = body.Length;
        await buffer.Inner.Stream.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        return stored;
    }

    private static string Detail(string? lookup, string reason) => lookup is null ? reason : lookup + "; " + reason;

    /// <summary>Stores the page and its header list; false (logged and counted) when the backend failed.</summary>
    private async Task<bool> StoreAsync(HttpContext context, RequestHead request, StoreDecision.StoreCase store, ReadOnlyMemory<byte> body, PageCacheServices services, CacheLayerCounters layer)
    {
        // A HEAD's response is stored under the HEAD key (Django's rule: its view may differ from the GET's), with the body
        // its view wrote, so a HEAD served from it has the GET's Content-Length and ETag.
        var learned = PageCacheKeys.LearnCacheKey(request, store.Response, _options.KeyPrefix);
        var fields = NotStored.Aggregate(store.Response.Headers, (map, name) => map.Remove(name));
        if (!fields.Contains("Transfer-Encoding")) fields = fields.Set("Content-Length", body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var (entry, timeout) = StoredForm(new CachedResponse(store.Response.Status, fields, body.ToArray()), store, services);
        try
        {
            // Through TrySetAsync, so that a write a lenient backend (memcached) dropped is counted, not taken as stored.
            var written = await services.Cache.TrySetAsync(learned.HeaderKey, learned.HeaderList.ToArray(), timeout).ConfigureAwait(false);
            // The page key ends with the stamps, read before the write (PageCacheHandler.Purge.cs).
            if (written.IsRight)
                written = await services.Cache.TrySetAsync(learned.PageKey + await StoreSuffixAsync(context, services.Cache, timeout).ConfigureAwait(false), entry.Encode(), timeout).ConfigureAwait(false);
            if (written.IsLeft) throw FailureOf(written);
            layer.Stored();
            return true;
        }
        catch (Exception e) when (e is CacheBackendException or CacheSerializationException)
        {
            layer.BackendFailed();
            services.Logger.LogWarning(e, "Page cache store failed; the response is sent uncached: {Message}", e.Message);
            return false;
        }
    }
}
