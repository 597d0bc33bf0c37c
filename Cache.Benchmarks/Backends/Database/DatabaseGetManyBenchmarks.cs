using BenchmarkDotNet.Attributes;
using Dapper;
using FunctionalCache.Backends.Database;

namespace FunctionalCache.Benchmarks.Backends.Database;

/// <summary>A read of 10 present keys on SQLite, against a raw Dapper <c>IN</c> query on the same table.</summary>
[MemoryDiagnoser]
[Config(typeof(DatabaseConfig))]
public class DatabaseGetManyBenchmarks
{
    private DatabaseFixture _fixture = null!;
    private DatabaseCache _cache = null!;
    private int _next;

    [Params(1_000, 10_000, 100_000)]
    public int Entries { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _fixture = new DatabaseFixture(Entries);
        _cache = _fixture.Cache(Entries * 2);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _cache.Dispose();
        _fixture.Dispose();
    }

    private string[] NextKeys()
    {
        var keys = new string[10];
        for (var i = 0; i < keys.Length; i++)
            keys[i] = _fixture.Keys[(int)((uint)Interlocked.Increment(ref _next) * 2654435761u % (uint)_fixture.Keys.Length)];
        return keys;
    }

    [Benchmark(Baseline = true, Description = "raw Dapper SELECT … IN (10 keys)")]
    public int Raw() =>
        _fixture.Connection.Query<byte[]>($"SELECT \"value\" FROM \"{DatabaseFixture.Table}\" WHERE \"cache_key\" IN @keys",
            new { keys = NextKeys().Select(k => ":1:" + k).ToArray() }).Count();

    [Benchmark(Description = "DatabaseCache.GetManyAsync (10 keys)")]
    public async Task<int> Cache() => (await ((ICache)_cache).GetManyAsync<byte[]>(NextKeys())).Count;
}
