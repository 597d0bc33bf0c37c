using FunctionalCache.Backends;
using FunctionalCache.Backends.Database;
using static FunctionalCache.PeerCompare.Workload;

namespace FunctionalCache.PeerCompare;

/// <summary>
/// The <c>django</c> suite on FunctionalCache: the cases of bench/django/django_suite.py, each backend
/// built from its URI (locmem in its default copy mode, as Django pickles), through the async <see cref="ICache"/>.
/// </summary>
internal static class DjangoSuite
{
    public const string Series = "FunctionalCache";
    private const string Table = "fcache_bench";

    /// <summary>Populates the file directories and the database table once; later runs reuse them (sets only overwrite).</summary>
    public static async Task PrepareAsync(string work)
    {
        var marker = Path.Join(work, "prepared");
        if (File.Exists(marker)) return;
        await FillAsync(Caches.FromUri(FileUri(work, "file1k")), Keys());
        await FillAsync(Caches.FromUri(FileUri(work, "file50k")), Keys(BigFileEntries));
        await DatabaseCacheTable.CreateAsync(DatabaseLocation.Sqlite(DatabasePath(work)), Table);
        using (var db = (DatabaseCache)Caches.FromUri(DatabaseUri(work))) await FillAsync(db, Keys());
        await File.WriteAllTextAsync(marker, "");
    }

    public static IEnumerable<BenchCase> Cases(string work, string? memcached)
    {
        var hits = Keys();
        var big = Keys(BigFileEntries);
        var locmem = Backend($"locmem:///{Arguments}", hits);
        var file1k = Backend(FileUri(work, "file1k"));
        var file50k = Backend(FileUri(work, "file50k"));
        var db = Backend(DatabaseUri(work));

        yield return new("locmem get-hit", () => Get(locmem, hits));
        yield return new("locmem get-miss", () => Get(locmem, Missing));
        yield return new("locmem set", () => Set(locmem, hits));
        yield return new($"locmem get-many({Many})", () => GetMany(locmem, Groups(hits, Many)));
        yield return new("file get-hit (1k entries)", () => Get(file1k, hits));
        yield return new("file set (1k entries)", () => Set(file1k, hits));
        yield return new($"file get-many({Many})", () => GetMany(file1k, Groups(hits, Many)));
        yield return new("file set (50k entries)", () => Set(file50k, big));
        yield return new("db get-hit", () => Get(db, hits));
        yield return new("db set", () => Set(db, hits));
        yield return new($"db get-many({Many})", () => GetMany(db, Groups(hits, Many)));
        if (memcached is null) yield break;
        var remote = Backend($"memcached://{memcached}/{Arguments}", hits);
        yield return new("memcached get-hit", () => Get(remote, hits));
        yield return new("memcached set", () => Set(remote, hits));
        yield return new($"memcached get-many({Many})", () => GetMany(remote, Groups(hits, Many)));
    }

    private static readonly string Arguments = $"?max_entries={MaxEntries}&timeout={TimeoutSeconds}";

    private static string FileUri(string work, string directory) => $"file://{Path.GetFullPath(Path.Join(work, directory))}{Arguments}";

    private static string DatabasePath(string work) => Path.GetFullPath(Path.Join(work, "fcache.sqlite"));

    private static string DatabaseUri(string work) => $"db://{Table}{Arguments}&database={DatabasePath(work)}";

    /// <summary>The cache at <paramref name="uri"/>, built (and filled with <paramref name="fill"/>) the first time a case asks for it.</summary>
    private static Lazy<Task<ICache>> Backend(string uri, string[]? fill = null) => new(async () =>
    {
        var cache = Caches.FromUri(uri);
        if (fill is not null) await FillAsync(cache, fill);
        return cache;
    });

    private static Task FillAsync(ICache cache, string[] keys) =>
        cache.SetManyAsync(keys.Select(key => KeyValuePair.Create(key, Value)), Lifetime);

    private static async Task<Operation> Get(Lazy<Task<ICache>> backend, string[] keys)
    {
        var cache = await backend.Value;
        return i => cache.GetAsync<string>(keys[i % keys.Length]);
    }

    private static async Task<Operation> Set(Lazy<Task<ICache>> backend, string[] keys)
    {
        var cache = await backend.Value;
        return i => cache.SetAsync(keys[i % keys.Length], Value, Lifetime);
    }

    private static async Task<Operation> GetMany(Lazy<Task<ICache>> backend, string[][] groups)
    {
        var cache = await backend.Value;
        return i => cache.GetManyAsync<string>(groups[i % groups.Length]);
    }
}
