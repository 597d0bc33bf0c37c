namespace FunctionalCache.Backends.Redis;

/// <summary>
/// The <c>rediss</c> scheme: <see cref="RedisBackend"/> over TLS, as redis-py and Django write it
/// (<c>rediss://:password@cache.example.com:6380/0</c>); the server's certificate is checked against the host name.
/// </summary>
public static class RedisTlsBackend
{
    /// <summary>The registration of the <c>rediss</c> scheme.</summary>
    public static BackendRegistration Registration { get; } = new("rediss", RedisBackend.ArgumentNames, request => RedisBackend.Create(request, useTls: true));
}
