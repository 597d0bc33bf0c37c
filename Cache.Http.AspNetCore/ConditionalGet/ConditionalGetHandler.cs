using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace FunctionalCache.Http.AspNetCore;

/// <summary>
/// Django's <c>ConditionalGetMiddleware</c>: for a GET or a HEAD, holds the body, adds an ETag computed from it when the
/// response has none, and answers 304 (or 412) through <see cref="Conditional.ConditionalGet(RequestHead, ResponseHead, ReadOnlySpan{byte}, DateTimeOffset)"/>.
/// </summary>
/// <remarks>
/// A HEAD is handled as its GET: the view writes the body, which is tagged and passed on like a GET's, and the server
/// sends none (Kestrel drops the body of a HEAD response), so HEAD and GET carry the same ETag and Content-Length.
/// Unsafe methods and streamed bodies pass through untouched. Thread-safe: state is per request.
/// </remarks>
internal static class ConditionalGetHandler
{
    public static Func<RequestDelegate, RequestDelegate> Decorator(long maximumBodySize) =>
        next => async context =>
        {
            if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            var buffer = await ResponseBuffer.CaptureAsync(context, next, maximumBodySize).ConfigureAwait(false);
            if (buffer.Streaming) return;

            var response = context.Response;
            var before = HttpHeads.Response(response);
            var time = context.RequestServices.GetService(typeof(TimeProvider)) as TimeProvider ?? TimeProvider.System;
            var outcome = Conditional.ConditionalGet(HttpHeads.Request(context.Request), before, buffer.Body.Span, time.GetUtcNow());
            if (outcome is ConditionalOutcome.ProceedCase)
            {
                HttpHeads.Apply(response, before, outcome.Response.IfNone(before));
                var body = buffer.Body;
                if (body.IsEmpty || response.StatusCode is 204 or 304) return;
                if (!response.Headers.ContainsKey("Transfer-Encoding")) response.ContentLength = body.Length;
                await buffer.Inner.Stream.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
            }
            else
            {
                HttpHeads.Replace(response, outcome.Response.IfNone(before));
            }
        };
}
