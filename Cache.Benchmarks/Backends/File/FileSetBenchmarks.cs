using BenchmarkDotNet.Attributes;
using FunctionalCache.Benchmarks.Backends.LocMem;

namespace FunctionalCache.Benchmarks.Backends.FileBased;

/// <summary>
/// A write of one key, cycling over the whole key range: an overwrite when MaxEntries is above the entry
/// count, a mix of overwrites and culled keys coming back (so culls) when it is below. Times are per write.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ShortConfig))]
public class FileSetBenchmarks
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

    [Benchmark(Baseline = true, OperationsPerInvoke = FileFixture.Operations, Description = "naive File.WriteAllBytes")]
    public void Naive()
    {
        foreach (var key in _fixture.Writes) System.IO.File.WriteAllBytes(_fixture.NaivePath(key), _fixture.Payload);
    }

    [Benchmark(OperationsPerInvoke = FileFixture.Operations, Description = "FileBasedCache.SetAsync")]
    public async Task Set()
    {
        foreach (var key in _fixture.Writes) await _cache.SetAsync(key, FileFixture.Value).ConfigureAwait(false);
    }
}
