using BenchmarkDotNet.Attributes;
using Dapper;
using FunctionalCache.Backends.Database;

namespace FunctionalCache.Benchmarks.Backends.Database;

/// <summary>A read of a present key on SQLite, against a raw Dapper SELECT by primary key on the same table.</summary>
[MemoryDiagnoser]
[Config(typeof(DatabaseConfig))]
public class DatabaseGetHitBenchmarks
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

    private string NextKey() => _fixture.Keys[(int)((uint)Interlocked.Increment(ref _next) * 2654435761u % (uint)_fixture.Keys.Length)];

    [Benchmark(Baseline = true, Description = "raw Dapper SELECT by key")]
    public byte[]? Raw() =>
        _fixture.Connection.QueryFirstOrDefault<byte[]>($"SELECT \"value\" FROM \"{DatabaseFixture.Table}\" WHERE \"cache_key\" = @key", new { key = ":1:" + NextKey() });

    [Benchmark(Description = "DatabaseCache.GetAsync")]
    public async Task<bool> Cache() => (await ((ICache)_cache).GetAsync<byte[]>(NextKey())).IsSome;
}
