namespace FunctionalCache.Backends.Redis;

/// <summary>What <see cref="RedisCache.StatsAsync"/> reads from the servers.</summary>
/// <param name="Primaries">The primaries asked, as <c>host:port</c>.</param>
/// <param name="ServerVersion">The Redis version the first primary reports.</param>
/// <param name="IsCluster">True for a Redis Cluster.</param>
/// <param name="DatabaseKeys">Keys in the cache's database on every primary (<c>DBSIZE</c>): every application's.</param>
/// <param name="PrefixKeys">Keys that begin with the cache's key prefix and <c>:</c> (what <c>Clear</c> removes).</param>
/// <param name="UsedMemoryBytes">Memory the primaries report in use (<c>INFO memory</c>'s <c>used_memory</c>, summed).</param>
public sealed record RedisStats(IReadOnlyList<string> Primaries, string ServerVersion, bool IsCluster, long DatabaseKeys, long PrefixKeys, long UsedMemoryBytes);
