using System.Diagnostics;

namespace FunctionalCache.Benchmarks.Peers;

/// <summary>
/// Runs one benchmark's operations on one or two threads, both busy for the whole measured time.
/// </summary>
/// <remarks>
/// An invocation is always <see cref="OperationsPerInvoke"/> operations in total: one thread does
/// them all, two threads do half each, concurrently. BenchmarkDotNet divides the elapsed time by that
/// total, so every row is wall time per operation, a throughput figure: a cache that scales perfectly
/// shows half its one-thread time on two threads, one that serializes shows the same time or worse.
/// <para>
/// With two threads, the benchmark's own thread does the first half and one long-lived helper thread
/// the second, so an invocation costs one release and one join, both by spinning on a counter (well
/// under a microsecond against the tens of microseconds an invocation takes even for a 5 ns
/// operation). Between iterations, when BenchmarkDotNet pauses for a collection, the helper stops
/// spinning after <see cref="SpinTime"/> and sleeps until the next release. The second thread starts
/// half-way through the key set so that the two threads do not walk the same keys in lock step.
/// </para>
/// Not thread-safe: one benchmark thread calls <see cref="Run"/>.
/// </remarks>
internal sealed class Workers : IDisposable
{
    /// <summary>Passes over the key set per invocation, shared between the threads.</summary>
    public const int Passes = 32;

    /// <summary>Operations per invocation, whatever the thread count.</summary>
    public const int OperationsPerInvoke = Passes * Backends.LocMem.Fixture.KeyCount;

    private static readonly TimeSpan SpinTime = TimeSpan.FromMilliseconds(1);

    private readonly string[][] _keys;
    private readonly int _passes;
    private readonly Thread? _helper;
    private readonly object _gate = new();
    private Contenders _caches = null!;
    private Func<Contenders, string[], int> _pass = null!;
    private int _started;
    private int _finished;
    private int _helperResult;
    private Exception? _helperError;
    private volatile bool _stopping;

    public Workers(int threads, string[] keys)
    {
        if (threads is not (1 or 2)) throw new ArgumentException("Threads must be 1 or 2.", nameof(threads));
        _passes = Passes / threads;
        _keys = Enumerable.Range(0, threads).Select(t => Rotate(keys, t * keys.Length / threads)).ToArray();
        if (threads == 2)
        {
            _helper = new Thread(HelperLoop) { IsBackground = true, Name = "Peers benchmark helper" };
            _helper.Start();
        }
    }

    /// <summary>Runs <paramref name="pass"/> (one operation per key) over every thread's share; returns the summed results.</summary>
    public int Run(Contenders caches, Func<Contenders, string[], int> pass)
    {
        if (_helper is null) return RunShare(caches, pass, _keys[0], _passes);

        _caches = caches;
        _pass = pass;
        var generation = _started + 1;
        lock (_gate)
        {
            Volatile.Write(ref _started, generation);
            Monitor.Pulse(_gate);
        }
        var result = RunShare(caches, pass, _keys[0], _passes);
        var spinner = new SpinWait();
        while (Volatile.Read(ref _finished) != generation) spinner.SpinOnce(sleep1Threshold: -1);
        if (_helperError is { } error) throw new InvalidOperationException("The helper thread failed.", error);
        return result + _helperResult;
    }

    public void Dispose()
    {
        if (_helper is null) return;
        lock (_gate)
        {
            _stopping = true;
            Monitor.Pulse(_gate);
        }
        _helper.Join();
    }

    private static int RunShare(Contenders caches, Func<Contenders, string[], int> pass, string[] keys, int passes)
    {
        var total = 0;
        for (var i = 0; i < passes; i++) total += pass(caches, keys);
        return total;
    }

    private void HelperLoop()
    {
        var seen = 0;
        while (true)
        {
            seen = AwaitRelease(seen);
            if (_stopping) return;
            try
            {
                _helperResult = RunShare(_caches, _pass, _keys[1], _passes);
            }
            catch (Exception e)
            {
                _helperError = e;
            }
            Volatile.Write(ref _finished, seen);
        }
    }

    private int AwaitRelease(int seen)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(SpinTime.TotalSeconds * Stopwatch.Frequency);
        var spinner = new SpinWait();
        while (Volatile.Read(ref _started) == seen && !_stopping)
        {
            if (Stopwatch.GetTimestamp() < deadline)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
                continue;
            }
            lock (_gate)
                while (Volatile.Read(ref _started) == seen && !_stopping) Monitor.Wait(_gate);
        }
        return Volatile.Read(ref _started);
    }

    private static string[] Rotate(string[] keys, int offset) => [.. keys[offset..], .. keys[..offset]];
}
