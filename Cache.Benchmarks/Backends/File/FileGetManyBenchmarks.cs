using BenchmarkDotNet.Attributes;
using FunctionalCache.Benchmarks.Backends.LocMem;

namespace FunctionalCache.Benchmarks.Backends.FileBased;

/// <summary>A read of 10 present keys at once (100 calls per invocation). Times are per call of 10 keys.</summary>
[MemoryDiagnoser]
[Config(typeof(ShortConfig))]
public class FileGetManyBenchmarks
{
    private const int Calls = FileFixture.Operations / 10;
    private FileFixture _fixture = null!;
    private ICache _cache = null!;
    private string[][] _batches = null!;

    [Params(1_000, 10_000, 100_000)]
    public int Entries { get; set; }

    [Params(Room.Above, Room.Below)]
    public Room Room { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _fixture = new FileFixture(Entries, Room);
        _cache = _fixture.Cache;
        _batches = _fixture.Hits.Chunk(10).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => _fixture.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Calls, Description = "naive 10 × File.ReadAllBytes")]
    public int Naive()
    {
        var total = 0;
        foreach (var batch in _batches)
            foreach (var key in batch) total += System.IO.File.ReadAllBytes(_fixture.NaivePath(key)).Length;
        return total;
    }

    [Benchmark(OperationsPerInvoke = Calls, Description = "FileBasedCache.GetManyAsync(10)")]
    public async Task<int> GetMany()
    {
        var total = 0;
        foreach (var batch in _batches) total += (await _cache.GetManyAsync<string>(batch).ConfigureAwait(false)).Count;
        return total;
    }
}
