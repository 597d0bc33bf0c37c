using System.Diagnostics;

namespace FunctionalCache.PeerCompare;

/// <summary>Operations per second over a fixed wall-clock duration, timed as bench/django/timing.py does.</summary>
internal static class Throughput
{
    /// <summary>Runs op(0), op(1), ... for <paramref name="warmup"/> (discarded; lets the JIT reach its final tier), then for <paramref name="duration"/>.</summary>
    public static async Task<double> OpsPerSecondAsync(Operation op, TimeSpan duration, TimeSpan warmup)
    {
        var warmed = warmup > TimeSpan.Zero ? (await RunForAsync(op, warmup, 0)).Done : 0;
        var (done, elapsed) = await RunForAsync(op, duration, warmed);
        return done / elapsed.TotalSeconds;
    }

    private static async Task<(long Done, TimeSpan Elapsed)> RunForAsync(Operation op, TimeSpan duration, long first)
    {
        // The clock is read once per batch; batches double while they take under a millisecond, so reading
        // it costs nothing on fast operations and a slow one still stops on time.
        long done = 0, batch = 1;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var batchStart = clock.Elapsed;
            for (var i = first + done; i < first + done + batch; i++) await op(i);
            done += batch;
            var now = clock.Elapsed;
            if (now >= duration) return (done, now);
            if (now - batchStart < TimeSpan.FromMilliseconds(1)) batch *= 2;
        }
    }

    /// <summary><paramref name="callers"/> asynchronous callers looping on the one shared <paramref name="op"/>: total completed ops/s during <paramref name="duration"/>.</summary>
    public static async Task<double> ConcurrentOpsPerSecondAsync(Operation op, int callers, TimeSpan duration, TimeSpan warmup)
    {
        var counts = new long[callers];
        using var stop = new CancellationTokenSource();
        var running = Enumerable.Range(0, callers).Select(slot => Task.Run(async () =>
        {
            for (long i = 0; !stop.IsCancellationRequested; i++)
            {
                await op(i);
                Volatile.Write(ref counts[slot], i + 1);
            }
        })).ToArray();
        await Task.Delay(warmup);
        var before = Total(counts);
        var clock = Stopwatch.StartNew();
        await Task.Delay(duration);
        var after = Total(counts);
        var elapsed = clock.Elapsed;
        await stop.CancelAsync();
        await Task.WhenAll(running);
        return (after - before) / elapsed.TotalSeconds;
    }

    private static long Total(long[] counts)
    {
        long total = 0;
        for (var slot = 0; slot < counts.Length; slot++) total += Volatile.Read(ref counts[slot]);
        return total;
    }
}
