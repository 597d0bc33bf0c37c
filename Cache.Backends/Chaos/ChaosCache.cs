using System.Globalization;
using FunctionalCache.Backends.Diagnostics;
using Microsoft.Extensions.Logging;

namespace FunctionalCache.Backends.Chaos;

/// <summary>
/// A decorator for resilience tests: wraps any <see cref="ICache"/> and, on the calls its <see cref="ChaosSchedule"/>
/// picks, fails, delays (or times out) or corrupts instead of, or before, asking the wrapped cache. From a URI:
/// <c>chaos://?inner=&lt;percent-encoded URI&gt;&amp;fail_every=3</c> (see <see cref="ChaosBackend"/>).
/// </summary>
/// <remarks>
/// <para>Every call, <c>Try…</c> ones included, takes the next call number (1, 2, …) and asks the schedule for its fault.
/// A failure follows the contract of a backend that fails: the plain operations throw <see cref="CacheBackendException"/>
/// and the <c>Try…</c> operations answer <c>Left(BackendFailure)</c>. With <see cref="Lenient"/>, the plain operations
/// answer it as memcached does instead (a logged miss, <c>false</c>, a dropped write, the factory's value from
/// get-or-set), raising <see cref="FailureAnswered"/> so an <see cref="InstrumentedCache"/> counts it; the
/// <c>Try…</c> operations still answer <c>Left</c>.</para>
/// <para>A corrupted read finds an entry whose bytes do not decode (<see cref="CorruptBytes"/>), read with the context's
/// serializer: a reader of any type but <c>byte[]</c> gets the serializer's <see cref="CacheSerializationException"/>,
/// even from <c>TryGetAsync</c> (a stored value that cannot be read is not a backend failure); a <c>byte[]</c> reader gets
/// the bytes, a wrong value it must reject itself (the page cache and <c>IDistributedCache</c> entries carry a header
/// for that). A corrupted read never asks the wrapped cache; a write, delete or counter the schedule corrupts passes.</para>
/// <para>A delay waits on the context's clock (a fake one in tests) and honours cancellation. With a <see cref="Timeout"/>, a
/// delay as long as the timeout or longer waits the timeout, then fails with a <see cref="TimeoutException"/> inside.</para>
/// <para>A failed or corrupted call never reaches the wrapped cache, so it logs no key warning. Disposing the chaos cache
/// disposes the wrapped cache. Thread-safe when the wrapped cache is: call numbers are taken atomically, so under
/// concurrency which call gets which number is the only thing left to chance.</para>
/// </remarks>
public sealed partial class ChaosCache : ICache, ICacheFailureSource, ICacheEvictionSource, IDisposable, IAsyncDisposable
{
    /// <summary>What a corrupted read finds: no valid UTF-8, no JSON, no decimal integer.</summary>
    public static ReadOnlyMemory<byte> CorruptBytes { get; } = new byte[] { 0xFF, 0xFE, 0xFD };

    private readonly ICache _inner;
    private readonly CacheContext _context;
    private readonly object _gate = new();
    private Action<CacheBackendException>? _failureAnswered;
    private long _calls;
    private long _failures;
    private long _delays;
    private long _corruptions;
    private int _disposed;

    /// <summary>Wraps <paramref name="inner"/>, injecting the faults <paramref name="schedule"/> picks.</summary>
    /// <param name="inner">The cache the passing calls go to.</param>
    /// <param name="schedule">Which call gets which fault.</param>
    /// <param name="context">The clock delays wait on, the logger lenient answers are logged to and the serializer a corrupted
    /// read decodes with (give the wrapped cache's); <see cref="CacheContext.Default"/> when omitted.</param>
    /// <param name="lenient">Answer failures as memcached does (a logged miss) in the plain operations; see <see cref="Lenient"/>.</param>
    /// <param name="timeout">When given, a delay at least this long fails after this long; see <see cref="Timeout"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="inner"/> or <paramref name="schedule"/> is null.</exception>
    /// <exception cref="ArgumentException">The timeout is not positive.</exception>
    public ChaosCache(ICache inner, ChaosSchedule schedule, CacheContext? context = null, bool lenient = false, TimeSpan? timeout = null)
    {
        _inner = Guard.NotNull(inner, nameof(inner));
        Schedule = Guard.NotNull(schedule, nameof(schedule));
        Guard.That(timeout is not { } t || t > TimeSpan.Zero, nameof(timeout), "A chaos timeout must be positive.");
        _context = context ?? CacheContext.Default;
        Lenient = lenient;
        Timeout = timeout;
    }

    /// <summary>The wrapped cache.</summary>
    public ICache Inner => _inner;

    /// <summary>Which call gets which fault.</summary>
    public ChaosSchedule Schedule { get; }

    /// <summary>True when the plain operations answer an injected failure as a logged miss instead of throwing.</summary>
    /// <value>False: they throw <see cref="CacheBackendException"/>, as the file and db backends do.</value>
    public bool Lenient { get; }

    /// <summary>How long a delayed call waits before it gives up and fails; null: delayed calls wait their whole delay, then go on.</summary>
    public TimeSpan? Timeout { get; }

    /// <summary>The calls made so far: the number the next call follows.</summary>
    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>The calls failed so far (scheduled failures and timeouts).</summary>
    public long InjectedFailures => Interlocked.Read(ref _failures);

    /// <summary>The calls delayed so far (those that then timed out included).</summary>
    public long InjectedDelays => Interlocked.Read(ref _delays);

    /// <summary>The reads corrupted so far.</summary>
    public long InjectedCorruptions => Interlocked.Read(ref _corruptions);

    /// <inheritdoc/>
    public CachePolicy Policy => _inner.Policy;

    /// <inheritdoc/>
    /// <value>True when <see cref="Lenient"/>, or when the wrapped cache answers failures as misses (memcached).</value>
    public bool FailuresAreMisses => Lenient || _inner is ICacheFailureSource { FailuresAreMisses: true };

    /// <inheritdoc/>
    /// <remarks>Raised for the failures this cache answers leniently and for those the wrapped cache does.</remarks>
    public event Action<CacheBackendException>? FailureAnswered
    {
        add
        {
            lock (_gate) _failureAnswered += value;
            if (_inner is ICacheFailureSource source) source.FailureAnswered += value;
        }
        remove
        {
            lock (_gate) _failureAnswered -= value;
            if (_inner is ICacheFailureSource source) source.FailureAnswered -= value;
        }
    }

    /// <inheritdoc/>
    /// <remarks>The wrapped cache's culls, when it reports them (locmem).</remarks>
    public event Action<int>? Evicted
    {
        add { if (_inner is ICacheEvictionSource source) source.Evicted += value; }
        remove { if (_inner is ICacheEvictionSource source) source.Evicted -= value; }
    }

    /// <summary>Disposes the wrapped cache (once).</summary>
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

    // ---- one call: its number, its fault, and what is left to do after any delay ----------------------------------

    private enum Verdict { Pass, Corrupt, Fail }

    private readonly record struct Entry(Verdict Verdict, CacheBackendException? Failure)
    {
        public static readonly Entry Passing = new(Verdict.Pass, null);
    }

    private async ValueTask<Entry> EnterAsync(ChaosOperation operation, CancellationToken cancellationToken)
    {
        var call = Interlocked.Increment(ref _calls);
        switch (Schedule.Decide(call, operation))
        {
            case ChaosFault.FailCase:
                Interlocked.Increment(ref _failures);
                return new(Verdict.Fail, new CacheBackendException(
                    $"Chaos: call {call} ({ChaosOperationNames.Of(operation)}) failed, as scheduled ({Schedule.Description})."));
            case ChaosFault.CorruptCase when ChaosOperationNames.Reads(operation):
                Interlocked.Increment(ref _corruptions);
                return new(Verdict.Corrupt, null);
            case ChaosFault.DelayCase delay:
                Interlocked.Increment(ref _delays);
                if (Timeout is { } limit && delay.Span >= limit)
                {
                    await Task.Delay(limit, _context.Time, cancellationToken).ConfigureAwait(false);
                    Interlocked.Increment(ref _failures);
                    var waited = $"{limit.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms";
                    return new(Verdict.Fail, new CacheBackendException(
                        $"Chaos: call {call} ({ChaosOperationNames.Of(operation)}) timed out after {waited}, as scheduled ({Schedule.Description}).",
                        new TimeoutException($"The call was delayed {delay.Span.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms; the timeout is {waited}.")));
                }
                await Task.Delay(delay.Span, _context.Time, cancellationToken).ConfigureAwait(false);
                return Entry.Passing;
            default:
                return Entry.Passing;
        }
    }

    /// <summary>A failure in a plain operation: thrown, or (lenient) logged, reported and answered with <paramref name="lenientAnswer"/>.</summary>
    private T Answer<T>(CacheBackendException failure, T lenientAnswer)
    {
        if (!Lenient) throw failure;
        _context.Logger.LogWarning(failure, "Cache backend {Backend} failed; answered as a miss: {Failure}", "chaos", failure.Message);
        Volatile.Read(ref _failureAnswered)?.Invoke(failure);
        return lenientAnswer;
    }

    /// <summary>The value a corrupted read finds, decoded as <typeparamref name="T"/> by the context's serializer.</summary>
    /// <exception cref="CacheSerializationException">The serializer cannot read the bytes as a <typeparamref name="T"/> (every type but <c>byte[]</c>).</exception>
    private T Corrupted<T>() => _context.Serializer.Deserialize<T>(CorruptBytes.Span);
}
