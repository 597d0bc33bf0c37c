using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using FunctionalCache.Backends.LocMem;
using LanguageExt;

namespace FunctionalCache.Benchmarks.Backends.LocMem;

/// <summary>
/// A read of 100 present keys at once: locmem's <c>GetManyAsync</c> against the floor of building a plain
/// <see cref="Dictionary{TKey, TValue}"/> of the same hits from a <see cref="ConcurrentDictionary{TKey, TValue}"/>, and
/// against building the LanguageExt <c>HashMap</c> that <c>GetManyAsync</c> returned before it became a dictionary.
/// Times are per call of 100 keys.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ShortConfig))]
public class GetManyBenchmarks
{
    private const int Batch = 100;
    private readonly string[] _keys = Fixture.HitKeys.Take(Batch).ToArray();
    private ConcurrentDictionary<string, object> _dictionary = null!;
    private ICache _reference = null!;
    private ICache _copy = null!;

    [GlobalSetup]
    public void Setup()
    {
        _dictionary = Fixture.Dictionary(Fixture.HitKeys);
        _reference = Fixture.LocMem(LocMemStore.Reference, Fixture.HitKeys);
        _copy = Fixture.LocMem(LocMemStore.Copy, Fixture.HitKeys);
    }

    [Benchmark(Baseline = true, Description = "Dictionary of 100 ConcurrentDictionary hits")]
    public int Dictionary()
    {
        var hits = new Dictionary<string, object>(Batch, StringComparer.Ordinal);
        foreach (var key in _keys)
            if (_dictionary.TryGetValue(key, out var value)) hits[key] = value;
        return hits.Count;
    }

    [Benchmark(Description = "HashMap of 100 ConcurrentDictionary hits (the former result)")]
    public int HashMap()
    {
        var hits = HashMap<string, object>.Empty;
        foreach (var key in _keys)
            if (_dictionary.TryGetValue(key, out var value)) hits = hits.AddOrUpdate(key, value);
        return hits.Count;
    }

    [Benchmark(Description = "LocMemCache.GetManyAsync(100) reference")]
    public async Task<int> Reference() => (await _reference.GetManyAsync<string>(_keys).ConfigureAwait(false)).Count;

    [Benchmark(Description = "LocMemCache.GetManyAsync(100) copy")]
    public async Task<int> Copy() => (await _copy.GetManyAsync<string>(_keys).ConfigureAwait(false)).Count;
}
