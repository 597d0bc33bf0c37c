using System.Collections.Concurrent;
using System.Diagnostics;
using FunctionalCache.Backends.Diagnostics;
using Microsoft.Extensions.Logging;

namespace FunctionalCache.Backends.FailSafe;

/// <summary>
/// A cache that keeps the last good value of get-or-set past its expiry and serves it when the factory or the wrapped cache
/// fails (fail-safe), answers a slow factory from it (soft and hard timeouts), refreshes a value in the background before it
/// expires (eager refresh) and spreads the expiries it writes (jitter). From C#: <c>cache.WithFailSafe(options)</c>.
/// </summary>
/// <remarks>
/// <para>The value lives under its own key with its own timeout, so get, add, set, incr, touch and has_key are the wrapped
/// cache's, unchanged. Beside it, set, set_many, add and get-or-set write a stale copy (<see cref="StaleValue{T}"/>) under a
/// derived key (<c>fail-safe:</c> and the key) that lives <see cref="FailSafeOptions.MaxStale"/> longer. Only get-or-set and
/// <see cref="GetStaleAsync{T}"/> read it. Delete, delete_many, a version move and clear remove it with the value, so a
/// deleted value never comes back; a failed read or write of the wrapped cache deletes nothing.</para>
/// <para>Each fail-safe answer, factory failure, wrapped-cache failure, soft timeout and refresh is logged and counted
/// (the properties below and <see cref="CacheMetrics"/>). Thread-safe when the wrapped cache is; background work (a factory
/// past its soft timeout, an eager refresh) runs on the thread pool and <see cref="WaitForBackgroundWorkAsync"/> awaits it.</para>
/// </remarks>
public sealed partial class FailSafeCache : ICache, ICacheFailureSource, ICacheEvictionSource, IDisposable, IAsyncDisposable
{
    private readonly ICache _inner;
    private readonly CacheContext _context;
    private readonly ILogger _logger;
    private readonly TagList _tags;
    private readonly ConcurrentDictionary<(string Key, int? Version), Task> _refreshes = new();
    private readonly ConcurrentDictionary<Task, byte> _background = new();
    private readonly object _randomGate = new();
    private long _staleServed;
    private long _factoryFailures;
    private long _innerFailures;
    private long _softTimeouts;
    private long _refreshesStarted;
    private int _disposed;

    /// <summary>Wraps <paramref name="inner"/> with the behaviours <paramref name="options"/> turns on.</summary>
    /// <param name="inner">The cache that stores values and their stale copies.</param>
    /// <param name="options">The window, timeouts, refresh threshold and jitter.</param>
    /// <param name="context">The clock timeouts wait on and stale copies are dated by, and the logger failures go to (give the
    /// wrapped cache's); when omitted, the wrapped backend's own (looking through chaos, instrumented and fail-safe wrappers),
    /// else <see cref="CacheContext.Default"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="inner"/> or <paramref name="options"/> is null.</exception>
    public FailSafeCache(ICache inner, FailSafeOptions options, CacheContext? context = null)
    {
        _inner = Guard.NotNull(inner, nameof(inner));
        Options = Guard.NotNull(options, nameof(options));
        _context = context ?? ContextOf(inner);
        _logger = _context.Logger;
        _tags = CacheMetrics.Tags("fail_safe", CacheMetrics.BackendName(inner));
    }

    /// <summary>The wrapped cache.</summary>
    public ICache Inner => _inner;

    /// <summary>The behaviours this cache applies.</summary>
    public FailSafeOptions Options { get; }

    /// <inheritdoc/>
    public CachePolicy Policy => _inner.Policy;

    /// <summary>Get-or-set calls answered from a stale copy (a failed factory or wrapped cache, a soft or hard timeout).</summary>
    public long StaleServed => Interlocked.Read(ref _staleServed);

    /// <summary>Factory runs that threw (in the caller's call or in the background).</summary>
    public long FactoryFailures => Interlocked.Read(ref _factoryFailures);

    /// <summary>Reads and writes of the wrapped cache that failed inside get-or-set, its stale copies and its refreshes.</summary>
    public long InnerFailures => Interlocked.Read(ref _innerFailures);

    /// <summary>Get-or-set calls that reached their soft or hard timeout.</summary>
    public long SoftTimeouts => Interlocked.Read(ref _softTimeouts);

    /// <summary>Eager refreshes started.</summary>
    public long RefreshesStarted => Interlocked.Read(ref _refreshesStarted);

    /// <inheritdoc/>
    public bool FailuresAreMisses => _inner is ICacheFailureSource { FailuresAreMisses: true };

    /// <inheritdoc/>
    /// <remarks>The wrapped cache's, when it reports them (memcached).</remarks>
    public event Action<CacheBackendException>? FailureAnswered
    {
        add { if (_inner is ICacheFailureSource source) source.FailureAnswered += value; }
        remove { if (_inner is ICacheFailureSource source) source.FailureAnswered -= value; }
    }

    /// <inheritdoc/>
    /// <remarks>The wrapped cache's culls, when it reports them (locmem).</remarks>
    public event Action<int>? Evicted
    {
        add { if (_inner is ICacheEvictionSource source) source.Evicted += value; }
        remove { if (_inner is ICacheEvictionSource source) source.Evicted -= value; }
    }

    /// <summary>Completes when every background factory run and refresh started so far has finished (they never throw).</summary>
    public async Task WaitForBackgroundWorkAsync(CancellationToken cancellationToken = default)
    {
        while (!_background.IsEmpty)
            await Task.WhenAll(_background.Keys).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Disposes the wrapped cache (once); background work still running finishes against it or fails, logged.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        if (_inner is IDisposable disposable) disposable.Dispose();
        else if (_inner is IAsyncDisposable asyncDisposable) asyncDisposable.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Disposes the wrapped cache (once).</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return ValueTask.CompletedTask;
        if (_inner is IAsyncDisposable asyncDisposable) return asyncDisposable.DisposeAsync();
        if (_inner is IDisposable disposable) disposable.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>The context of the backend under <paramref name="cache"/>, through the wrappers this package knows.</summary>
    private static CacheContext ContextOf(ICache cache) => cache switch
    {
        CacheBase backend => backend.ContextForWrappers,
        Chaos.ChaosCache chaos => ContextOf(chaos.Inner),
        InstrumentedCache instrumented => ContextOf(instrumented.Inner),
        FailSafeCache failSafe => failSafe._context,
        _ => CacheContext.Default,
    };

    /// <summary>The timeouts of a write made now.</summary>
    private FailSafeTiming TimingOf(CacheTimeout? timeout, bool jittered)
    {
        var jitter = TimeSpan.Zero;
        if (jittered && Options.Jitter > TimeSpan.Zero)
        {
            var random = Options.JitterRandom;
            if (random is null) jitter = FailSafeTiming.Draw(Options.Jitter, Random.Shared.NextDouble);
            // A seeded Random is not thread-safe; the lock keeps its sequence (and so a test's) intact.
            else lock (_randomGate) jitter = FailSafeTiming.Draw(Options.Jitter, random.NextDouble);
        }
        return FailSafeTiming.Of(timeout, _inner.Policy, Options.MaxStale, jitter, _context.Time.GetUtcNow());
    }

    /// <summary>Runs <paramref name="work"/> in the background, tracked until it ends; it must not throw.</summary>
    private void Track(Task work)
    {
        _background.TryAdd(work, 0);
        _ = work.ContinueWith(done => _background.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void Count(ref long field, System.Diagnostics.Metrics.Counter<long>? counter)
    {
        Interlocked.Increment(ref field);
        if (counter is { Enabled: true }) counter.Add(1, _tags);
    }
}
