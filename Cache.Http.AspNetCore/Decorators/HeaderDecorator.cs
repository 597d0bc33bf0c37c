using Microsoft.AspNetCore.Http;

namespace FunctionalCache.Http.AspNetCore;

/// <summary>
/// A decorator that patches the response head after the view, through a pure function: right after the view returns
/// when the response has not started (so an enclosing cache sees the patched head), or just before it starts
/// when the view streams its body.
/// </summary>
/// <remarks>The patch runs once per request. Thread-safe: state is per request.</remarks>
internal static class HeaderDecorator
{
    public static Func<RequestDelegate, RequestDelegate> Of(Func<ResponseHead, HttpContext, ResponseHead> patch) =>
        next => async context =>
        {
            var done = 0;
            void Apply()
            {
                if (Interlocked.Exchange(ref done, 1) == 1) return;
                var before = HttpHeads.Response(context.Response);
                HttpHeads.Apply(context.Response, before, patch(before, context));
            }

            context.Response.OnStarting(() =>
            {
                Apply();
                return Task.CompletedTask;
            });
            await next(context).ConfigureAwait(false);
            if (!context.Response.HasStarted) Apply();
        };
}
