using LanguageExt;
using Microsoft.Extensions.Logging;

namespace FunctionalCache.Backends.FailSafe;

// The stale copies: written beside a value, read only when the value cannot be had. Their failures are logged and counted,
// never thrown: a copy that could not be written or read is a fail-safe that will not help, not an error of the caller's call.
public sealed partial class FailSafeCache
{
    /// <summary>
    /// The stale copy of <paramref name="key"/>'s value, live or logically expired but within the fail-safe window; None when
    /// there is none, when it cannot be read as a <typeparamref name="T"/>, or when the wrapped cache fails (logged and counted).
    /// </summary>
    /// <remarks>The copy is what set, add or get-or-set last wrote; an increment since then is not in it.</remarks>
    public async Task<OptionUnsafe<StaleValue<T>>> GetStaleAsync<T>(string key, int? version = null, CancellationToken cancellationToken = default)
    {
        if (StaleKeyOf(key, version) is not { } staleKey) return OptionUnsafe<StaleValue<T>>.None;
        try
        {
            var read = await _inner.TryGetAsync<StaleValue<T>>(staleKey, version, cancellationToken).ConfigureAwait(false);
            return read.Match(
                Right: found => found,
                Left: error => { InnerFailed("reading the stale copy of", key, error); return OptionUnsafe<StaleValue<T>>.None; });
        }
        catch (CacheSerializationException e)
        {
            _logger.LogWarning(e, "Fail-safe: the stale copy of '{Key}' cannot be read as {Type}; ignored.", key, typeof(T).Name);
            return OptionUnsafe<StaleValue<T>>.None;
        }
    }

    /// <summary>Writes the stale copy of a value just stored with <paramref name="timing"/>.</summary>
    private async Task WriteStaleAsync<T>(string key, T value, FailSafeTiming timing, int? version)
    {
        if (timing.Stale is not { } staleTimeout || StaleKeyOf(key, version) is not { } staleKey) return;
        try
        {
            var copy = new StaleValue<T>(value, timing.Written, timing.LogicalExpiry);
            // Not the caller's token: the value is stored, and a copy half-written because the caller left helps nobody.
            var stored = await _inner.TrySetAsync(staleKey, copy, staleTimeout, version, CancellationToken.None).ConfigureAwait(false);
            stored.IfLeft(error => InnerFailed("writing the stale copy of", key, error));
        }
        catch (CacheSerializationException e)
        {
            _logger.LogWarning(e, "Fail-safe: the stale copy of '{Key}' cannot be serialized; '{Key}' has no fail-safe.", key, key);
        }
    }

    /// <summary>Moves the stale copy's expiry after its value's was moved to <paramref name="timing"/>.</summary>
    private async Task TouchStaleAsync(string key, FailSafeTiming timing, int? version)
    {
        if (timing.Stale is not { } staleTimeout || StaleKeyOf(key, version) is not { } staleKey) return;
        var touched = await _inner.TryTouchAsync(staleKey, staleTimeout, version, CancellationToken.None).ConfigureAwait(false);
        touched.IfLeft(error => InnerFailed("touching the stale copy of", key, error));
    }

    /// <summary>The stale key of <paramref name="key"/> under this cache's policy, or null when the key keeps no stale copy.</summary>
    private string? StaleKeyOf(string key, int? version) => key is null ? null : StaleKey.For(key, _inner.Policy, version);

    private void InnerFailed(string doing, string key, CacheError error)
    {
        Count(ref _innerFailures, Diagnostics.CacheMetrics.BackendErrors);
        if (error is CacheError.BackendFailure failure)
            _logger.LogWarning(failure.Cause, "Fail-safe: the wrapped cache failed {Doing} '{Key}': {Message}", doing, key, failure.Cause.Message);
        else
            _logger.LogWarning("Fail-safe: the wrapped cache failed {Doing} '{Key}': {Error}", doing, key, error);
    }

    private void InnerFailed(string doing, string key, Exception failure)
    {
        Count(ref _innerFailures, Diagnostics.CacheMetrics.BackendErrors);
        _logger.LogWarning(failure, "Fail-safe: the wrapped cache failed {Doing} '{Key}': {Message}", doing, key, failure.Message);
    }
}
