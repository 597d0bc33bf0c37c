using FunctionalCache.Backends;
using FunctionalCache.Backends.Memcached;
using static FunctionalCache.PeerCompare.Workload;

namespace FunctionalCache.PeerCompare;

/// <summary>The <c>memcached</c> suite on our client: the cases of bench/django/pylibmc_suite.py, through <see cref="MemcachedCache"/> with its default pool.</summary>
internal static class MemcachedSuite
{
    public const string Series = "FunctionalCache";

    public static IEnumerable<BenchCase> Cases(string server)
    {
        // Made keys fcache:1:user:profile:000042, apart from pylibmc's (pylibmc:1:...) and the django suite's.
        var policy = CachePolicy.Default.WithKeyPrefix("fcache").WithDefaultTimeout(Lifetime);
        var cache = new MemcachedCache(MemcachedOptions.Parse(server), policy, CacheContext.Default);
        var keys = Keys();
        var groups = Groups(keys, MemcachedMany);
        var filled = new Lazy<Task>(() => cache.SetManyAsync(keys.Select(key => KeyValuePair.Create(key, Value)), Lifetime));
        Func<Task<Operation>> Ready(Operation op) => async () => { await filled.Value; return op; };

        yield return new("get", Ready(i => cache.GetAsync<string>(keys[i % keys.Length])));
        yield return new($"get-many({MemcachedMany})", Ready(i => cache.GetManyAsync<string>(groups[i % groups.Length])));
        yield return new("set", Ready(i => cache.SetAsync(keys[i % keys.Length], Value, Lifetime)));
        // One cache instance (one connection pool) shared by every caller, as an application shares it.
        yield return new($"get, {Callers} concurrent callers", Ready(i => cache.GetAsync<string>(keys[i % keys.Length])), Callers);
    }
}
