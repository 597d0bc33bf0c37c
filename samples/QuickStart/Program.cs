// The Django Book's low-level cache API walk-through, on FunctionalCache's embedded default
// (locmem:///), printing each call and its result. A hand-moved clock stands in for
// "wait 30 seconds" so the demo runs instantly.
using FunctionalCache;
using FunctionalCache.Backends;
using QuickStart;

var uri = args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("CACHE_BACKEND") ?? "locmem:///";
var clock = new DemoClock();
var cache = Caches.FromUri(uri, CacheContext.Default.WithTime(clock));
Console.WriteLine($"cache = Caches.FromUri(\"{uri}\")");

await Do("cache.SetAsync(\"my_key\", \"hello, world!\", CacheTimeout.Seconds(30))", () => cache.SetAsync("my_key", "hello, world!", CacheTimeout.Seconds(30)));
await Show("cache.GetAsync<string>(\"my_key\")", () => cache.GetAsync<string>("my_key"));

clock.Advance(TimeSpan.FromSeconds(30));
Console.WriteLine("# 30 seconds later, 'my_key' has expired...");
await Show("cache.GetAsync<string>(\"my_key\")", () => cache.GetAsync<string>("my_key"));
await Show("cache.GetOrDefaultAsync(\"my_key\", \"has expired\")", () => cache.GetOrDefaultAsync("my_key", "has expired"));

await Do("cache.SetAsync(\"add_key\", \"Initial value\")", () => cache.SetAsync("add_key", "Initial value"));
await Show("cache.AddAsync(\"add_key\", \"New value\")", () => cache.AddAsync("add_key", "New value"));
await Show("cache.GetAsync<string>(\"add_key\")", () => cache.GetAsync<string>("add_key"));

await Show("cache.SetManyAsync({a: 1, b: 2, c: 3})", () => cache.SetManyAsync(new Dictionary<string, int> { ["a"] = 1, ["b"] = 2, ["c"] = 3 }));
await Show("cache.GetManyAsync<int>([\"a\", \"b\", \"c\"])", () => cache.GetManyAsync<int>(["a", "b", "c"]));
await Show("cache.DeleteAsync(\"a\")", () => cache.DeleteAsync("a"));
await Show("cache.GetManyAsync<int>([\"a\", \"b\", \"c\"])", () => cache.GetManyAsync<int>(["a", "b", "c"]));

await Do("cache.SetAsync(\"num\", 1)", () => cache.SetAsync("num", 1));
await Show("cache.IncrementAsync(\"num\")", () => cache.IncrementAsync("num"));
await Show("cache.IncrementAsync(\"num\", 10)", () => cache.IncrementAsync("num", 10));
await Show("cache.DecrementAsync(\"num\")", () => cache.DecrementAsync("num"));
await Show("cache.DecrementAsync(\"num\", 5)", () => cache.DecrementAsync("num", 5));
await Show("cache.IncrementAsync(\"no_such_key\")", () => cache.IncrementAsync("no_such_key"));

await Show("cache.GetOrSetAsync(\"answer\", _ => Task.FromResult(42))", () => cache.GetOrSetAsync("answer", _ => Task.FromResult(42)));
await Show("cache.HasKeyAsync(\"answer\")", () => cache.HasKeyAsync("answer"));
await Show("cache.IncrementVersionAsync(\"answer\")", () => cache.IncrementVersionAsync("answer"));
await Show("cache.GetAsync<int>(\"answer\", version: 2)", () => cache.GetAsync<int>("answer", version: 2));
await Do("cache.ClearAsync()", () => cache.ClearAsync());
await Show("cache.HasKeyAsync(\"answer\", version: 2)", () => cache.HasKeyAsync("answer", version: 2));

static async Task Do(string call, Func<Task> action)
{
    await action();
    Console.WriteLine($">>> {call}");
}

static async Task Show<T>(string call, Func<Task<T>> action)
{
    var result = await action();
    Console.WriteLine($">>> {call}");
    Console.WriteLine($"    {Display.Of(result)}");
}
