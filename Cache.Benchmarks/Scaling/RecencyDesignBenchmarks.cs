using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using FunctionalCache.Backends;
using FunctionalCache.Backends.LocMem;

namespace FunctionalCache.Benchmarks.Scaling;

/// <summary>
/// What each way of recording a hit's recency costs on one thread, alone: the <c>t_log</c> of the cost model in
/// docs/benchmarks.md, measured instead of estimated. Each benchmark records one use of each of 1 000 entries.
/// </summary>
/// <remarks>
/// <para>
/// <c>locmem's use log</c> is the real <see cref="LocMemUseLog.Used"/> on real entries. The other designs are their
/// per-hit code only, written here on stand-in entries of the same shape: the shared clock locmem had before issue 17
/// (every hit takes one counter's line), an access bit (ConcurrentLru's "was accessed": a load, and a store only when
/// clear), and the leanest exact log we know of (a thread's ring of 4-byte entry numbers, with the clock written only
/// when it moved, so a use stores one int and no reference: no GC write barrier, and stamps rebuilt from ring positions
/// at cull time). The baseline reads each entry and records nothing: the loop and the entry load every design pays.
/// </para>
/// <para>
/// The lean log runs twice: reached through its thread-static, as a cache must (it cannot know the calling thread
/// otherwise), and held in a field, which only a single-threaded caller could do. The difference is what finding the
/// thread's log costs: on Linux x64 the JIT'd code calls the runtime's TLS resolver for every access inside a loop
/// that writes memory (seen with BenchmarkDotNet's DisassemblyDiagnoser).
/// </para>
/// <para>Run with <c>dotnet run -c Release --project Cache.Benchmarks -- --filter '*RecencyDesign*'</c>.</para>
/// </remarks>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class RecencyDesignBenchmarks
{
    private const int Entries = 1_000;

    private readonly LocMemEntry[] _entries = Enumerable.Range(0, Entries)
        .Select(i => new LocMemEntry($"value {i}", Expiry.Never, LocMemUseLog.Current.NextStamp(), keyIsValid: true) { Reused = true })
        .ToArray();

    private readonly StandIn[] _standIns = Enumerable.Range(0, Entries).Select(i => new StandIn(i)).ToArray();

    private long _sharedClock;

    [Benchmark(Baseline = true, OperationsPerInvoke = Entries, Description = "no record (the entry load only)")]
    public long Nothing()
    {
        long sum = 0;
        foreach (var entry in _standIns) sum += entry.Stamp;
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Entries, Description = "locmem's use log (per-thread ring of entry, stamp)")]
    public int UseLog()
    {
        foreach (var entry in _entries) LocMemUseLog.Current.Used(entry);
        return _entries.Length;
    }

    [Benchmark(OperationsPerInvoke = Entries, Description = "shared clock (locmem before issue 17)")]
    public int SharedClock()
    {
        foreach (var entry in _standIns) entry.Stamp = Interlocked.Increment(ref _sharedClock);
        return _standIns.Length;
    }

    [Benchmark(OperationsPerInvoke = Entries, Description = "access bit (ConcurrentLru)")]
    public int AccessBit()
    {
        foreach (var entry in _standIns)
            if (!entry.Reused) entry.Reused = true;
        return _standIns.Length;
    }

    [Benchmark(OperationsPerInvoke = Entries, Description = "lean exact log (ring of entry numbers), through a thread-static")]
    public int NumberRing()
    {
        foreach (var entry in _standIns) NumberLog.Current.Used(entry);
        return _standIns.Length;
    }

    [Benchmark(OperationsPerInvoke = Entries, Description = "lean exact log, held in a field (no thread-static)")]
    public int NumberRingInField()
    {
        var log = _fieldLog;
        foreach (var entry in _standIns) log.Used(entry);
        return _standIns.Length;
    }

    private readonly NumberLog _fieldLog = new();

    private sealed class StandIn(int number)
    {
        public readonly int Number = number;
        public long Stamp;
        public bool Reused = true;
    }

    // The per-hit half of a log that stores entry numbers: the clock goes into a second ring only when it moved since
    // this thread's previous use, and a cull would give each position the stamp of the latest clock mark before it.
    private sealed class NumberLog
    {
        [ThreadStatic]
        private static NumberLog? t_current;

        private readonly int[] _numbers = new int[512];
        private readonly (int Position, long Ticks)[] _marks = new (int, long)[512];
        private int _next;
        private int _nextMark;
        private long _lastTicks;

        public static NumberLog Current
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => t_current ??= new NumberLog();
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Used(StandIn entry)
        {
            var ticks = CoarseClock.UtcTicks;
            if (ticks != _lastTicks)
            {
                _lastTicks = ticks;
                _marks[_nextMark++ & 511] = (_next, ticks);
            }
            _numbers[_next++ & 511] = entry.Number;
        }
    }
}
