using System.Diagnostics;

namespace FunctionalCache.Benchmarks.Scaling;

/// <summary>
/// Measures how many hits per second a contender serves with a given number of threads all reading at once, each
/// thread walking the key set from its own offset (so that threads do not read the same key in lock step).
/// </summary>
/// <remarks>
/// The threads start together behind a barrier, read whole passes until a shared flag says stop, and keep their counts
/// in locals written once at the end: the harness itself writes nothing shared while the window is open.
/// Not thread-safe: one caller at a time.
/// </remarks>
internal static class ThroughputProbe
{
    /// <summary>Hits per second over <paramref name="window"/> with <paramref name="threads"/> reading threads.</summary>
    public static double HitsPerSecond(HitReader reader, string[] keys, int threads, TimeSpan window)
    {
        var counts = new long[threads];
        var stop = new StrongBox();
        using var start = new Barrier(threads + 1);
        var workers = Enumerable.Range(0, threads).Select(t =>
        {
            var offset = t * keys.Length / threads;
            string[] own = [.. keys[offset..], .. keys[..offset]];
            var worker = new Thread(() =>
            {
                long done = 0;
                start.SignalAndWait();
                while (!Volatile.Read(ref stop.Stop)) done += reader.ReadAll(own);
                counts[t] = done;
            }) { IsBackground = true, Name = $"scaling reader {t}" };
            worker.Start();
            return worker;
        }).ToList();

        start.SignalAndWait();
        var clock = Stopwatch.StartNew();
        Thread.Sleep(window);
        Volatile.Write(ref stop.Stop, true);
        foreach (var worker in workers) worker.Join();
        var elapsed = clock.Elapsed.TotalSeconds;
        if (counts.Sum() % keys.Length != 0) throw new InvalidOperationException($"{reader.Series} missed a stored key.");
        return counts.Sum() / elapsed;
    }

    private sealed class StrongBox
    {
        public bool Stop;
    }
}
