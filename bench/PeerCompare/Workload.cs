namespace FunctionalCache.PeerCompare;

/// <summary>The workload both sides run; bench/django/workload.py holds the same figures (change them together).</summary>
internal static class Workload
{
    /// <summary>Seconds: nothing expires during a run, yet every read checks a real deadline.</summary>
    public const int TimeoutSeconds = 3600;

    /// <summary>Above every entry count here: no case culls.</summary>
    public const int MaxEntries = 100_000;

    /// <summary>A short string on both sides (Django pickles it, we store its UTF-8).</summary>
    public const string Value = "{\"name\":\"Ada Lovelace\",\"id\":1815}";

    public const int Entries = 1_000;
    public const int BigFileEntries = 50_000;

    /// <summary>Keys per get-many in the django suite.</summary>
    public const int Many = 10;

    /// <summary>Keys per get-many in the memcached suite.</summary>
    public const int MemcachedMany = 100;

    public const int Callers = 16;

    public static readonly CacheTimeout Lifetime = CacheTimeout.After(TimeSpan.FromSeconds(TimeoutSeconds));

    /// <summary>Keys shaped like an application's: <c>user:profile:000042</c>.</summary>
    public static string[] Keys(int count = Entries, string stem = "user:profile:") =>
        Enumerable.Range(0, count).Select(i => $"{stem}{i:D6}").ToArray();

    public static readonly string[] Missing = Keys(stem: "user:missing:");

    /// <summary>Consecutive, disjoint slices of <paramref name="size"/> keys, for the get-many cases.</summary>
    public static string[][] Groups(string[] keys, int size) => keys.Chunk(size).Where(g => g.Length == size).ToArray();
}
