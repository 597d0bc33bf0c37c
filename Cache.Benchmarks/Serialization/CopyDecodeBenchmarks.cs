using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using FunctionalCache.Backends.LocMem;
using FunctionalCache.Benchmarks.Backends.LocMem;

namespace FunctionalCache.Benchmarks.Serialization;

/// <summary>
/// The decode of a copy-mode hit: the stored bytes back to a value, alone and inside a locmem get-hit, beside
/// System.Text.Json reading the same value from its JSON form (the floor any JSON-stored cache pays) and the bare
/// UTF-8 transcode (the floor of any string decode: the string must be allocated).
/// </summary>
/// <remarks>
/// The value is the locmem fixture's 33-character string, which the serializer stores as raw UTF-8; the integer and
/// record rows show the other two stored forms (ASCII decimal, JSON). Times are per decode or per read. The copy store
/// now holds an immutable string as it is, so "locmem copy get-hit" decodes nothing; the "previous decode" row, whose
/// serializer is a custom one, still stores and decodes the bytes (the Peers get-hit class has a copy-mode row of a
/// mutable record, which is decoded on every hit).
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(ShortConfig))]
public class CopyDecodeBenchmarks
{
    /// <summary>A small record of the shape applications cache.</summary>
    public sealed record Profile(string Name, int Id);

    private readonly ICacheSerializer _serializer = JsonCacheSerializer.Instance;
    private readonly ICacheSerializer _previous = new PreviousDecode();
    private readonly byte[] _raw = Encoding.UTF8.GetBytes(Fixture.Value);
    private readonly byte[] _json = JsonSerializer.SerializeToUtf8Bytes(Fixture.Value);
    private readonly byte[] _integer = "1815"u8.ToArray();
    private readonly byte[] _record = JsonSerializer.SerializeToUtf8Bytes(new Profile("Ada Lovelace", 1815));
    private readonly string[] _keys = Fixture.HitKeys;
    private ISyncCache _reference = null!;
    private ISyncCache _copy = null!;
    private ISyncCache _previousCopy = null!;

    [GlobalSetup]
    public void Setup()
    {
        _reference = Fixture.LocMem(LocMemStore.Reference, _keys);
        _copy = Fixture.LocMem(LocMemStore.Copy, _keys);
        _previousCopy = PreviousCopy(_keys);
    }

    // The fixture's copy-mode cache, but decoding as before.
    private LocMemCache PreviousCopy(IEnumerable<string> keys)
    {
        var policy = CachePolicy.Default.WithMaxEntries(Fixture.Capacity).WithDefaultTimeout(CacheTimeout.After(Fixture.Timeout));
        var cache = new LocMemCache(policy, FunctionalCache.Backends.CacheContext.Default.WithSerializer(_previous), LocMemStore.Copy);
        foreach (var key in keys) cache.Set(key, Fixture.Value);
        return cache;
    }

    [Benchmark(Baseline = true, Description = "floor: JsonSerializer.Deserialize<string>(JSON bytes)")]
    public string JsonFloor() => JsonSerializer.Deserialize<string>(_json)!;

    [Benchmark(Description = "floor: Encoding.UTF8.GetString(raw bytes)")]
    public string Utf8Floor() => Encoding.UTF8.GetString(_raw);

    [Benchmark(Description = "JsonCacheSerializer.Deserialize<string>")]
    public string String() => _serializer.Deserialize<string>(_raw);

    [Benchmark(Description = "previous Deserialize<string>")]
    public string PreviousString() => _previous.Deserialize<string>(_raw);

    [Benchmark(Description = "previous Deserialize<int>")]
    public int PreviousInteger() => _previous.Deserialize<int>(_integer);

    [Benchmark(Description = "JsonCacheSerializer.Deserialize<int>")]
    public int Integer() => _serializer.Deserialize<int>(_integer);

    [Benchmark(Description = "floor: JsonSerializer.Deserialize<Profile>")]
    public Profile RecordFloor() => JsonSerializer.Deserialize<Profile>(_record)!;

    [Benchmark(Description = "JsonCacheSerializer.Deserialize<Profile>")]
    public Profile Record() => _serializer.Deserialize<Profile>(_record);

    [Benchmark(OperationsPerInvoke = Fixture.KeyCount, Description = "locmem reference get-hit")]
    public int ReferenceHit()
    {
        var hits = 0;
        foreach (var key in _keys)
            if (_reference.Get<string>(key).IsSome) hits++;
        return hits;
    }

    [Benchmark(OperationsPerInvoke = Fixture.KeyCount, Description = "locmem copy get-hit, previous decode")]
    public int PreviousCopyHit()
    {
        var hits = 0;
        foreach (var key in _keys)
            if (_previousCopy.Get<string>(key).IsSome) hits++;
        return hits;
    }

    [Benchmark(OperationsPerInvoke = Fixture.KeyCount, Description = "locmem copy get-hit")]
    public int CopyHit()
    {
        var hits = 0;
        foreach (var key in _keys)
            if (_copy.Get<string>(key).IsSome) hits++;
        return hits;
    }
}
