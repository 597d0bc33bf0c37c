using System.Security.Cryptography;
using System.Text;

namespace FunctionalCache.Backends.Memcached;

/// <summary>
/// libmemcached's weighted ketama continuum: which server a key lives on, such that adding or removing
/// one of N servers moves only about 1/N of the keys. Pure and immutable.
/// </summary>
/// <remarks>
/// Compatible with libmemcached's <c>MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED</c> with MD5 key hashing
/// (pylibmc <c>behaviors={"ketama_weighted": True, "hash": "md5"}</c>), so .NET and libmemcached clients
/// configured with the same servers map every key to the same server: each server gets
/// <c>floor(weight / total × 40 × servers) × 4</c> points (160 when weights are equal), four per MD5
/// digest of <c>"host-i"</c> (<c>"host:port-i"</c> off port 11211); a key goes to the first point at or
/// after the little-endian first four bytes of its MD5, wrapping around.
/// </remarks>
internal sealed class KetamaContinuum
{
    /// <summary>libmemcached's MEMCACHED_POINTS_PER_SERVER_KETAMA.</summary>
    public const int PointsPerServer = 160;

    private readonly uint[] _points;
    private readonly int[] _servers;

    /// <summary>The continuum of <paramref name="servers"/>, in their order.</summary>
    /// <exception cref="ArgumentException">The list is empty.</exception>
    public KetamaContinuum(IReadOnlyList<MemcachedServer> servers)
    {
        Guard.NotNull(servers, nameof(servers));
        Guard.That(servers.Count > 0, nameof(servers), "A ketama continuum needs at least one server.");
        var total = servers.Sum(s => (long)s.Weight);
        var points = new List<(uint Value, int Server)>(servers.Count * PointsPerServer);
        Span<byte> digest = stackalloc byte[16];
        for (var i = 0; i < servers.Count; i++)
        {
            // The same single-precision arithmetic as libmemcached's update_continuum.
            var pct = (float)servers[i].Weight / total;
            var perServer = (int)Math.Floor((float)(pct * PointsPerServer / 4 * (float)servers.Count + 0.0000000001)) * 4;
            for (var p = 0; p < perServer / 4; p++)
            {
                MD5.HashData(Encoding.UTF8.GetBytes($"{servers[i].KetamaName}-{p}"), digest);
                for (var x = 0; x < 4; x++) points.Add((LittleEndian(digest[(x * 4)..]), i));
            }
        }
        points.Sort((a, b) => a.Value.CompareTo(b.Value));
        _points = points.Select(p => p.Value).ToArray();
        _servers = points.Select(p => p.Server).ToArray();
    }

    /// <summary>How many points the continuum holds.</summary>
    public int Count => _points.Length;

    /// <summary>The index (in the list given) of the server that holds <paramref name="key"/>'s bytes.</summary>
    public int ServerFor(ReadOnlySpan<byte> key)
    {
        var hash = Hash(key);
        var index = Array.BinarySearch(_points, hash);
        if (index < 0) index = ~index;
        else while (index > 0 && _points[index - 1] == hash) index--;
        return _servers[index == _points.Length ? 0 : index];
    }

    /// <summary>The index of the server that holds <paramref name="key"/> (UTF-8).</summary>
    public int ServerFor(string key) => ServerFor(Encoding.UTF8.GetBytes(Guard.NotNull(key, nameof(key))));

    /// <summary>libmemcached's MD5 key hash: the first four digest bytes, little-endian.</summary>
    public static uint Hash(ReadOnlySpan<byte> key)
    {
        Span<byte> digest = stackalloc byte[16];
        MD5.HashData(key, digest);
        return LittleEndian(digest);
    }

    private static uint LittleEndian(ReadOnlySpan<byte> b) => (uint)(b[3] << 24 | b[2] << 16 | b[1] << 8 | b[0]);
}
