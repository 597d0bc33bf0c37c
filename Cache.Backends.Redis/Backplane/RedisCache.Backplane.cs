namespace FunctionalCache.Backends.Redis;

public sealed partial class RedisCache
{
    /// <summary>The cache's connection, shared with a <see cref="RedisBackplane"/> over it.</summary>
    internal RedisConnection Connection => _connection;
}
