using System.Security.Cryptography;
using System.Text;
using FunctionalCache.Backends;
using FunctionalCache.Backends.File;

namespace FunctionalCache.Benchmarks.Backends.FileBased;

/// <summary>Whether the cache has room for every pre-populated entry or must cull while it runs.</summary>
public enum Room
{
    /// <summary>MaxEntries is twice the entry count: writes overwrite, nothing is culled.</summary>
    Above,

    /// <summary>MaxEntries is half the entry count: set-up already culled, and writes of culled keys cull again.</summary>
    Below,
}

/// <summary>
/// A directory pre-populated with <c>entries</c> keys through <see cref="FileBasedCache"/>, and beside it
/// the naive baseline: the same payload written with <see cref="System.IO.File.WriteAllBytes(string, byte[])"/>
/// to a SHA-256-named path per key, read back with <see cref="System.IO.File.ReadAllBytes"/>.
/// </summary>
internal sealed class FileFixture : IDisposable
{
    /// <summary>Operations per invocation for single-key benchmarks.</summary>
    public const int Operations = 1_000;

    private readonly string _root = Directory.CreateTempSubdirectory("fcache-bench-").FullName;

    public FileFixture(int entries, Room room)
    {
        Keys = Enumerable.Range(0, entries).Select(i => $"user:profile:{i:D6}").ToArray();
        var policy = CachePolicy.Default
            .WithMaxEntries(room == Room.Above ? 2 * entries : entries / 2)
            .WithDefaultTimeout(CacheTimeout.After(TimeSpan.FromHours(1)));
        Cache = new FileBasedCache(Path.Join(_root, "cache"), policy, CacheContext.Default);
        foreach (var key in Keys) Cache.SetAsync(key, Value).GetAwaiter().GetResult();
        var present = Keys.Where(key => Cache.HasKeyAsync(key).GetAwaiter().GetResult()).ToArray();
        // 1 000 present keys spread over the whole key range (every k-th present one).
        Hits = Enumerable.Range(0, Operations).Select(i => present[(int)((long)i * present.Length / Operations)]).ToArray();
        // Writes cycle over the whole key range: overwrites when there is room, culled keys coming back when there is not.
        Writes = Enumerable.Range(0, Operations).Select(i => Keys[(int)((long)i * Keys.Length / Operations)]).ToArray();

        NaiveDirectory = Path.Join(_root, "naive");
        Directory.CreateDirectory(NaiveDirectory);
        Payload = Encoding.UTF8.GetBytes(Value);
        foreach (var key in Keys) System.IO.File.WriteAllBytes(NaivePath(key), Payload);
    }

    /// <summary>The value every key holds (a 34-character string, stored as raw UTF-8).</summary>
    public const string Value = "{\"name\":\"Ada Lovelace\",\"id\":1815}";

    public FileBasedCache Cache { get; }

    public string[] Keys { get; }

    public string[] Hits { get; }

    public string[] Writes { get; }

    public string NaiveDirectory { get; }

    public byte[] Payload { get; }

    /// <summary>The baseline's path: SHA-256 of the key, hex, in one flat directory.</summary>
    public string NaivePath(string key) =>
        Path.Join(NaiveDirectory, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))));

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
