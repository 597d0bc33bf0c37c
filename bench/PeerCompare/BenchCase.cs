namespace FunctionalCache.PeerCompare;

/// <summary>One timed call; <paramref name="i"/> counts the calls (of this caller), so it picks the key.</summary>
internal delegate Task Operation(long i);

/// <summary>A measured case: its name (bench/RESULTS.md), how to set it up, and how many callers share the operation.</summary>
internal sealed record BenchCase(string Name, Func<Task<Operation>> Setup, int Callers = 1);
