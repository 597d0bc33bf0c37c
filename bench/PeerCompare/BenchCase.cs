namespace FunctionalCache.PeerCompare;

/// <summary>One timed call; <paramref name="i"/> counts the calls (of this caller), so it picks the key.</summary>
internal delegate Task Operation(long i);

/// <summary>
/// A measured case: its name (bench/RESULTS.md), how to set it up, and how many callers share the operation. A suite
/// that measures several libraries names each case's <paramref name="Series"/> and <paramref name="Role"/> (otherwise
/// the suite's own series, as <c>ours</c>); <paramref name="Latency"/> reports a one-caller case as ns/op instead of ops/s.
/// </summary>
internal sealed record BenchCase(
    string Name, Func<Task<Operation>> Setup, int Callers = 1, string? Series = null, string Role = "ours", bool Latency = false);
