using Microsoft.Extensions.Logging;

namespace FunctionalCache.Backends.FailSafe;

// Get-or-set: the wrapped cache's (its single flight, its add-then-reread), with the stale copy as the answer of last resort.
public sealed partial class FailSafeCache
{
    /// <inheritdoc/>
    /// <remarks>
    /// <para>A hit is the wrapped cache's. On a miss the factory runs (once per key in this process) and its value is stored
    /// with a jittered timeout, with a stale copy beside it. When the factory throws, or the wrapped cache fails, a stale copy
    /// within the window answers instead (logged and counted); without one the exception reaches the caller. A failed read of
    /// the wrapped cache is a miss: the factory answers, unstored.</para>
    /// <para>With a soft timeout, a call still waiting after it is answered from the stale copy if there is one, and the factory
    /// goes on in the background and stores its value. With a hard timeout, a call still waiting after it is answered from the
    /// stale copy or fails with <see cref="TimeoutException"/>. With eager refresh, a hit past the threshold of its value's
    /// duration starts one background refresh per key. The caller's token cancels the wait and is passed to the factory.</para>
    /// </remarks>
    public async Task<T> GetOrSetAsync<T>(string key, Func<CancellationToken, Task<T>> factory, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(factory, nameof(factory));
        var fill = FillAsync(key, factory, timeout, version, cancellationToken);
        if (Options.SoftTimeout is null && Options.HardTimeout is null) return await OrStaleAsync(key, version, fill, cancellationToken).ConfigureAwait(false);

        var first = (Options.SoftTimeout ?? Options.HardTimeout)!.Value;
        if (await Task.WhenAny(fill, Task.Delay(first, _context.Time, cancellationToken)).ConfigureAwait(false) == fill)
            return await OrStaleAsync(key, version, fill, cancellationToken).ConfigureAwait(false);
        if (cancellationToken.IsCancellationRequested) { Track(Observe(key, fill)); cancellationToken.ThrowIfCancellationRequested(); }

        var stale = await GetStaleAsync<T>(key, version, cancellationToken).ConfigureAwait(false);
        if (stale.IsSome)
        {
            Count(ref _softTimeouts, Diagnostics.CacheMetrics.FactoryTimeouts);
            Track(Observe(key, fill));
            return Served(key, stale, $"it took longer than {first.TotalMilliseconds} ms; the factory goes on in the background");
        }
        if (Options.HardTimeout is not { } hard) return await OrStaleAsync(key, version, fill, cancellationToken).ConfigureAwait(false);
        if (Options.SoftTimeout is { } soft
            && await Task.WhenAny(fill, Task.Delay(hard - soft, _context.Time, cancellationToken)).ConfigureAwait(false) == fill)
            return await OrStaleAsync(key, version, fill, cancellationToken).ConfigureAwait(false);
        Track(Observe(key, fill));
        cancellationToken.ThrowIfCancellationRequested();
        Count(ref _softTimeouts, Diagnostics.CacheMetrics.FactoryTimeouts);
        throw new TimeoutException(
            $"Get-or-set of '{key}' took longer than the hard timeout of {hard.TotalMilliseconds} ms and there is no stale value to answer with; the factory goes on in the background.");
    }

    /// <summary>The wrapped cache's get-or-set, the stale copy written after a factory ran, and an eager refresh after a late hit.</summary>
    private async Task<T> FillAsync<T>(string key, Func<CancellationToken, Task<T>> factory, CacheTimeout? timeout, int? version, CancellationToken cancellationToken)
    {
        var timing = TimingOf(timeout, jittered: true);
        var run = new FactoryRun<T>();
        T value;
        try
        {
            value = await _inner.GetOrSetAsync(key, token => Run(key, factory, run, token), timing.Value, version, cancellationToken).ConfigureAwait(false);
        }
        catch (CacheBackendException e) when (!run.Started || run.HasValue)
        {
            // The wrapped cache failed, not the factory: a failed read is a miss, a failed write leaves the value unstored.
            InnerFailed("get-or-set of", key, e);
            return run.HasValue ? run.Value : await Run(key, factory, run, cancellationToken).ConfigureAwait(false);
        }
        if (run.HasValue) await WriteStaleAsync(key, value, timing, version).ConfigureAwait(false);
        else if (Options.EagerRefresh is { } threshold) await RefreshIfDueAsync(key, factory, timeout, version, threshold).ConfigureAwait(false);
        return value;
    }

    /// <summary>The factory, its run recorded and its failure counted and logged.</summary>
    private async Task<T> Run<T>(string key, Func<CancellationToken, Task<T>> factory, FactoryRun<T> run, CancellationToken cancellationToken)
    {
        run.Started = true;
        try
        {
            var value = await factory(cancellationToken).ConfigureAwait(false);
            run.Produced(value);
            return value;
        }
        catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            Count(ref _factoryFailures, Diagnostics.CacheMetrics.FactoryErrors);
            _logger.LogWarning(e, "Fail-safe: the factory of '{Key}' failed: {Message}", key, e.Message);
            throw;
        }
    }

    /// <summary>The fill's value; when it fails (but not for the caller's cancellation or mistake), the stale copy, else the failure.</summary>
    private async Task<T> OrStaleAsync<T>(string key, int? version, Task<T> fill, CancellationToken cancellationToken)
    {
        try
        {
            return await fill.ConfigureAwait(false);
        }
        catch (Exception e) when (e is not ArgumentException && !(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            var stale = await GetStaleAsync<T>(key, version, cancellationToken).ConfigureAwait(false);
            if (stale.IsNone) throw;
            var value = Served(key, stale, e.Message);
            await ThrottleAsync(key, version, stale).ConfigureAwait(false);
            return value;
        }
    }

    private T Served<T>(string key, LanguageExt.OptionUnsafe<StaleValue<T>> stale, string why)
    {
        var copy = stale.MatchUnsafe(c => c, () => throw new InvalidOperationException("No stale copy."))!;
        Count(ref _staleServed, Diagnostics.CacheMetrics.StaleServed);
        _logger.LogWarning("Fail-safe: get-or-set of '{Key}' answered with the value written at {Written:O} ({Why}).", key, copy.Written, why);
        return copy.Value;
    }

    /// <summary>
    /// With a throttle, stores the stale value as the live one for the throttle (bounded by what is left of the window), so
    /// the next calls are hits; a failure to store it is logged and counted.
    /// </summary>
    private async Task ThrottleAsync<T>(string key, int? version, LanguageExt.OptionUnsafe<StaleValue<T>> stale)
    {
        if (Options.Throttle <= TimeSpan.Zero) return;
        var copy = stale.MatchUnsafe(c => c, () => null!);
        var span = Options.Throttle;
        if (copy.LogicalExpiry is { } expiry)
        {
            var left = expiry + Options.MaxStale - _context.Time.GetUtcNow();
            if (left < span) span = left;
        }
        if (span <= TimeSpan.Zero) return;
        var stored = await _inner.TrySetAsync(key, copy.Value, CacheTimeout.After(span), version, CancellationToken.None).ConfigureAwait(false);
        stored.IfLeft(error => InnerFailed("throttling", key, error));
    }

    /// <summary>Awaits a fill nobody waits for any more, so its failure is logged (it was counted where it happened), never unobserved.</summary>
    private async Task Observe<T>(string key, Task<T> fill)
    {
        try { await fill.ConfigureAwait(false); }
        catch (Exception e) { _logger.LogWarning(e, "Fail-safe: the background get-or-set of '{Key}' failed: {Message}", key, e.Message); }
    }

    /// <summary>Whether this call's factory ran, and what it produced.</summary>
    private sealed class FactoryRun<T>
    {
        public volatile bool Started;
        public volatile bool HasValue;
        public T Value = default!;

        public void Produced(T value)
        {
            Value = value;
            HasValue = true;
        }
    }
}
