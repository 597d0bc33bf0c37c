using BenchmarkDotNet.Attributes;
using Dapper;
using FunctionalCache.Backends.Database;

namespace FunctionalCache.Benchmarks.Backends.Database;

/// <summary>
/// A write of a new key on SQLite (the case that may cull), with MaxEntries far above the row count
/// (no cull) or at half of it (steady culling), against a raw Dapper upsert on the same table.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(DatabaseConfig))]
public class DatabaseSetBenchmarks
{
    private static readonly byte[] Value = new byte[100];
    private DatabaseFixture _fixture = null!;
    private DatabaseCache _cache = null!;
    private int _next;

    [Params(1_000, 10_000, 100_000)]
    public int Entries { get; set; }

    /// <summary>Above: MaxEntries 1 000 000 000 (never reached). Below: MaxEntries = Entries / 2.</summary>
    [Params("above", "below")]
    public string MaxEntries { get; set; } = "above";

    [GlobalSetup]
    public void Setup()
    {
        _fixture = new DatabaseFixture(Entries);
        _cache = _fixture.Cache(MaxEntries == "above" ? 1_000_000_000 : Entries / 2);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _cache.Dispose();
        _fixture.Dispose();
    }

    [Benchmark(Baseline = true, Description = "raw Dapper upsert")]
    public int Raw() =>
        _fixture.Connection.Execute(
            $"INSERT INTO \"{DatabaseFixture.Table}\" (\"cache_key\", \"value\", \"kind\", \"expires\") VALUES (@key, @value, 0, @expires) " +
            "ON CONFLICT (\"cache_key\") DO UPDATE SET \"value\" = excluded.\"value\", \"kind\" = 0, \"expires\" = excluded.\"expires\"",
            new { key = $":1:raw{Interlocked.Increment(ref _next)}", value = Value, expires = DateTimeOffset.UtcNow.AddHours(2).UtcTicks });

    [Benchmark(Description = "DatabaseCache.SetAsync (new key)")]
    public Task Cache() => ((ICache)_cache).SetAsync($"new{Interlocked.Increment(ref _next)}", Value);
}
