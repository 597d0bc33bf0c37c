using System.Diagnostics;
using System.Globalization;
using FunctionalCache.Backends;
using FunctionalCache.Backends.Database;
using FunctionalCache.Benchmarks.Peers;

namespace FunctionalCache.Benchmarks.Backends.Tiers;

/// <summary>
/// Coherence latency across two processes through a backplane: a child process (<see cref="CoherenceNode"/>) holds a
/// key in its L1; this process writes the key; the time from this process's write call to the child seeing its copy
/// gone, p50 and p99 over many rounds. Both ends read the same monotonic clock (<see cref="Stopwatch"/> is
/// CLOCK_MONOTONIC on Linux, shared by every process), so no pipe hop is in the figure.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project Cache.Benchmarks -- coherence [rounds] [postgres-connection-string]</c>: Redis is
/// started here; PostgreSQL is measured when a connection string to a server is given. Every round uses a key written
/// once before the rounds start, so no earlier write's message can drop the child's copy early.
/// </remarks>
public static class CoherenceLatency
{
    /// <summary>The backplanes' names as the results show them.</summary>
    public const string Redis = "Redis pub/sub", Postgres = "PostgreSQL LISTEN/NOTIFY";

    /// <summary>The command-line entry: measures and prints, and merges the figures into the resilience results when asked (<c>--csv</c>).</summary>
    public static void Run(string[] args)
    {
        var positional = args.Skip(1).Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        var rounds = positional.Length > 0 ? int.Parse(positional[0], CultureInfo.InvariantCulture) : 2000;
        var postgres = positional.Length > 1 ? positional[1] : null;
        var rows = Measure(rounds, postgres);
        if (args.Contains("--csv")) Console.WriteLine($"written to {BenchResults.Merge(ResilienceSuite.Name, rows)}");
    }

    /// <summary>p50 and p99 per backplane, as rows of the resilience suite (ms).</summary>
    internal static IReadOnlyList<ResultRow> Measure(int rounds, string? postgres)
    {
        var rows = new List<ResultRow>();
        using (var redis = new RedisServer())
            rows.AddRange(Report(Redis, rounds, "redis", redis.Location, "coherence" + Guid.NewGuid().ToString("N")[..8]));
        if (postgres is not null)
        {
            var table = "coherence_" + Guid.NewGuid().ToString("N")[..8];
            DatabaseCacheTable.CreateAsync(DatabaseLocation.Postgres(postgres), table).GetAwaiter().GetResult();
            rows.AddRange(Report(Postgres, rounds, "postgres", postgres, table));
        }
        return rows;
    }

    private static IEnumerable<ResultRow> Report(string backplane, int rounds, string kind, string location, string name)
    {
        const int warmup = 100;
        var (here, close) = CoherenceNode.Open(kind, location, name);
        using var child = StartChild(kind, location, name);
        var times = new List<double>(rounds);
        var lost = 0;
        var early = 0;
        try
        {
            if (child.StandardOutput.ReadLine() is not "ready") throw new InvalidOperationException($"the {kind} child node did not connect its backplane.");
            var keys = Enumerable.Range(0, rounds + warmup).Select(i => "c" + i).ToArray();
            // Never expiring: on a loaded machine the rounds may outlast any default timeout.
            foreach (var key in keys) here.SetAsync(key, 0, CacheTimeout.Never).GetAwaiter().GetResult();
            // The messages of those writes reach the child before the rounds read the keys.
            Thread.Sleep(1000);
            for (var i = 0; i < keys.Length; i++)
            {
                if (!Armed(child, keys[i])) { lost++; continue; }
                var started = Stopwatch.GetTimestamp();
                here.SetAsync(keys[i], i, CacheTimeout.Never).GetAwaiter().GetResult();
                var answer = child.StandardOutput.ReadLine() ?? throw new InvalidOperationException($"the {kind} child node exited.");
                if (!answer.StartsWith("gone ", StringComparison.Ordinal)) { lost++; continue; }
                var seen = long.Parse(answer[5..], CultureInfo.InvariantCulture);
                // Gone before the write began: a late message of the writes before the rounds, not this write's.
                if (seen < started) early++;
                else if (i >= warmup) times.Add((seen - started) * 1000.0 / Stopwatch.Frequency);
            }
            child.StandardInput.WriteLine("quit");
        }
        finally
        {
            if (!child.WaitForExit(10_000)) child.Kill(true);
            close();
        }
        times.Sort();
        double At(double q) => times.Count == 0 ? double.NaN : times[Math.Min(times.Count - 1, (int)(q * times.Count))];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{backplane}, two processes: {times.Count} rounds, write-to-invalidated p50 {At(0.50):F3} ms, p99 {At(0.99):F3} ms, max {At(1):F3} ms, lost {lost}, dropped before the write {early}"));
        const string series = "FunctionalCache tiered (two processes)";
        yield return new ResultRow(ResilienceSuite.Name, $"coherence p50, {backplane}", series, "ours", At(0.50), "ms");
        yield return new ResultRow(ResilienceSuite.Name, $"coherence p99, {backplane}", series, "ours", At(0.99), "ms");
    }

    /// <summary>
    /// Has the child copy the key into its L1: a NOTIFY of the writes made before the rounds may still be on its way
    /// (PostgreSQL delivers them a few milliseconds apart) and drop the copy, so the child is asked again for a while.
    /// </summary>
    private static bool Armed(Process child, string key)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (Ask(child, "arm " + key) == "armed") return true;
            Thread.Sleep(20);
        }
        return false;
    }

    private static string Ask(Process child, string command)
    {
        child.StandardInput.WriteLine(command);
        child.StandardInput.Flush();
        return child.StandardOutput.ReadLine() ?? throw new InvalidOperationException("the child node exited.");
    }

    /// <summary>This program again, as the child node (the apphost, or <c>dotnet</c> with this assembly).</summary>
    private static Process StartChild(string kind, string location, string name)
    {
        var self = Environment.ProcessPath ?? "dotnet";
        var info = new ProcessStartInfo(self) { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") info.ArgumentList.Add(typeof(CoherenceLatency).Assembly.Location);
        foreach (var argument in new[] { "coherence-node", kind, location, name }) info.ArgumentList.Add(argument);
        return Process.Start(info) ?? throw new InvalidOperationException("the child node did not start.");
    }
}
