using BenchmarkDotNet.Attributes;
using FunctionalCache.Benchmarks.Backends.LocMem;

namespace FunctionalCache.Benchmarks.Backends.FileBased;

/// <summary>A read of a present key (1 000 of them, spread over the key range). Times are per read.</summary>
[MemoryDiagnoser]
[Config(typeof(ShortConfig))]
public class FileGetHitBenchmarks
{
    private FileFixture _fixture = null!;
    private ICache _cache = null!;

    [Params(1_000, 10_000, 100_000)]
    public int Entries { get; set; }

    [Params(Room.Above, Room.Below)]
    public Room Room { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _fixture = new FileFixture(Entries, Room);
        _cache = _fixture.Cache;
    }

    [GlobalCleanup]
    public void Cleanup() => _fixture.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = FileFixture.Operations, Description = "naive File.ReadAllBytes")]
    public int Naive()
    {
        var total = 0;
        foreach (var key in _fixture.Hits) total += System.IO.File.ReadAllBytes(_fixture.NaivePath(key)).Length;
        return total;
    }

    [Benchmark(OperationsPerInvoke = FileFixture.Operations, Description = "FileBasedCache.GetAsync")]
    public async Task<int> Get()
    {
        var total = 0;
        foreach (var key in _fixture.Hits) total += (await _cache.GetAsync<string>(key).ConfigureAwait(false)).MatchUnsafe(v => v.Length, () => 0);
        return total;
    }
}
