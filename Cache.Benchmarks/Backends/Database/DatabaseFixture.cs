using System.Data.SQLite;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Dapper;
using FunctionalCache.Backends;
using FunctionalCache.Backends.Database;

namespace FunctionalCache.Benchmarks.Backends.Database;

/// <summary>A SQLite cache table pre-populated with <c>count</c> rows of 100-byte values, made keys <c>:1:key{i}</c>.</summary>
public sealed class DatabaseFixture : IDisposable
{
    public const string Table = "bench_cache";

    public DatabaseFixture(int count)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"fcache-bench-{Guid.NewGuid():N}.sqlite");
        Location = DatabaseLocation.Sqlite(Path);
        DatabaseCacheTable.CreateAsync(Location, Table).GetAwaiter().GetResult();
        Keys = Enumerable.Range(0, count).Select(i => $"key{i}").ToArray();
        Connection = new SQLiteConnection(Location.ConnectionString);
        Connection.Open();
        using var transaction = Connection.BeginTransaction();
        var value = new byte[100];
        var far = DateTimeOffset.UtcNow.AddDays(1).UtcTicks;
        Connection.Execute($"INSERT INTO \"{Table}\" (\"cache_key\", \"value\", \"kind\", \"expires\") VALUES (@key, @value, 0, @expires)",
            Keys.Select((k, i) => new { key = ":1:" + k, value, expires = far + i * TimeSpan.TicksPerSecond }), transaction);
        transaction.Commit();
    }

    public string Path { get; }
    public DatabaseLocation Location { get; }
    public string[] Keys { get; }

    /// <summary>An open connection for the raw Dapper baselines.</summary>
    public SQLiteConnection Connection { get; }

    public DatabaseCache Cache(int maxEntries) =>
        new(Table, Location, CachePolicy.Default.WithMaxEntries(maxEntries).WithDefaultTimeout(CacheTimeout.After(TimeSpan.FromHours(2))), CacheContext.Default);

    public void Dispose()
    {
        Connection.Dispose();
        foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(Path + suffix);
    }
}

/// <summary>One launch, 3 warm-ups, 5 measured iterations: the database benchmarks are many cases.</summary>
public sealed class DatabaseConfig : ManualConfig
{
    public DatabaseConfig()
    {
        AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(5).WithId("Short"));
        WithOrderer(new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared));
    }
}
