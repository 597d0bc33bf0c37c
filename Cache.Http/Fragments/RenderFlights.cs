using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace FunctionalCache.Http.Fragments;

/// <summary>
/// One render per fragment key and cache at a time in this process: callers that miss a fragment while its render
/// runs wait for that render instead of starting their own (the single flight <see cref="ICache.GetOrSetAsync{T}"/>
/// gives, kept here because the fragment cache reads and writes through the <c>Try…</c> operations).
/// </summary>
/// <remarks>Thread-safe: a concurrent dictionary of running renders per cache; a cache no longer used is not kept alive.</remarks>
internal static class RenderFlights
{
    private static readonly ConditionalWeakTable<ICache, ConcurrentDictionary<string, Task<string>>> Running = new();

    /// <summary>The text of the render running for <paramref name="key"/> in <paramref name="cache"/>, or of <paramref name="render"/>, run now.</summary>
    public static async Task<string> RunOnceAsync(ICache cache, string key, Func<CancellationToken, Task<string>> render, CancellationToken cancellationToken)
    {
        var flights = Running.GetValue(cache, static _ => new ConcurrentDictionary<string, Task<string>>(StringComparer.Ordinal));
        var flight = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var leader = flights.GetOrAdd(key, flight.Task);
        if (leader != flight.Task) return await leader.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var text = await render(cancellationToken).ConfigureAwait(false);
            flight.SetResult(text);
            return text;
        }
        catch (Exception e)
        {
            flight.SetException(e);
            throw;
        }
        finally
        {
            flights.TryRemove(new KeyValuePair<string, Task<string>>(key, flight.Task));
        }
    }
}
