using Microsoft.Extensions.Logging;

namespace FunctionalCache.Backends.FailSafe;

// Eager refresh: a hit late in its value's life starts one background run of the factory per key, whose value replaces it.
public sealed partial class FailSafeCache
{
    private async Task RefreshIfDueAsync<T>(string key, Func<CancellationToken, Task<T>> factory, CacheTimeout? timeout, int? version, double threshold)
    {
        var copy = await GetStaleAsync<T>(key, version, CancellationToken.None).ConfigureAwait(false);
        var now = _context.Time.GetUtcNow();
        if (!copy.Exists(c => c.IsDueForRefreshAt(now, threshold))) return;

        var slot = (key, version);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Single flight per key and version in this process: the first late hit refreshes, the others are served as usual.
        if (!_refreshes.TryAdd(slot, done.Task)) return;
        Count(ref _refreshesStarted, Diagnostics.CacheMetrics.Refreshes);
        Track(Task.Run(async () =>
        {
            try { await RefreshAsync(key, factory, timeout, version).ConfigureAwait(false); }
            finally
            {
                _refreshes.TryRemove(new KeyValuePair<(string, int?), Task>(slot, done.Task));
                done.SetResult();
            }
        }));
    }

    /// <summary>Runs the factory and stores its value and stale copy; every failure is logged and counted, none thrown.</summary>
    private async Task RefreshAsync<T>(string key, Func<CancellationToken, Task<T>> factory, CacheTimeout? timeout, int? version)
    {
        T value;
        try { value = await Run(key, factory, new FactoryRun<T>(), CancellationToken.None).ConfigureAwait(false); }
        catch (Exception) { return; }
        var timing = TimingOf(timeout, jittered: true);
        try
        {
            var stored = await _inner.TrySetAsync(key, value, timing.Value, version, CancellationToken.None).ConfigureAwait(false);
            if (stored.IsLeft) { stored.IfLeft(error => InnerFailed("refreshing", key, error)); return; }
        }
        catch (CacheSerializationException e)
        {
            _logger.LogWarning(e, "Fail-safe: the refreshed value of '{Key}' cannot be serialized; the old value stays.", key);
            return;
        }
        await WriteStaleAsync(key, value, timing, version).ConfigureAwait(false);
    }
}
