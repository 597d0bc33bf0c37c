using System.Globalization;
using Fixture = FunctionalCache.Benchmarks.Backends.LocMem.Fixture;

namespace FunctionalCache.Benchmarks.Scaling;

/// <summary>
/// One contender's hit loop, alone, for a given time (<c>-- hit-profile "SERIES" SECONDS [THREADS]</c>): the steady
/// state a sampling profiler attributes, with nothing else running in the process (bench/profile-hit.sh runs it under
/// perf for each contender and keeps the top frames).
/// </summary>
internal static class HitProfile
{
    public const string Mode = "hit-profile";

    public static int Run(string[] args)
    {
        if (args.Length < 3)
        {
            Console.Error.WriteLine($"usage: {Mode} \"SERIES\" SECONDS [THREADS]; the series are: {string.Join(", ", HitReader.WithSteps().Select(r => r.Series))}");
            return 2;
        }
        var reader = HitReader.WithSteps().FirstOrDefault(r => r.Series == args[1]);
        if (reader is null)
        {
            Console.Error.WriteLine($"Unknown series \"{args[1]}\"; the series are: {string.Join(", ", HitReader.WithSteps().Select(r => r.Series))}");
            return 2;
        }
        var seconds = double.Parse(args[2], CultureInfo.InvariantCulture);
        var threads = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 1;
        // A warm-up pass first, so the profile sees the optimized code rather than the tiers before it.
        ThroughputProbe.HitsPerSecond(reader, Fixture.HitKeys, threads, TimeSpan.FromSeconds(1));
        Console.WriteLine($"profiling {reader.Series} on {threads} thread(s) for {seconds} s (pid {Environment.ProcessId})");
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var window = TimeSpan.FromSeconds(seconds);
        var rate = ThroughputProbe.HitsPerSecond(reader, Fixture.HitKeys, threads, window);
        // CPU time per hit does not count the time other processes held the core, so it compares variants measured
        // on a busy machine where the rate does not (the process's other threads sleep through the window).
        var cpuPerHit = (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalNanoseconds / (rate * window.TotalSeconds);
        Console.WriteLine($"{reader.Series}: {rate / 1e6:F1} M hits/s, {cpuPerHit:F1} CPU ns per hit");
        return 0;
    }
}
