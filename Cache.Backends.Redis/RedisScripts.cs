namespace FunctionalCache.Backends.Redis;

/// <summary>
/// The Lua scripts for what one Redis command cannot do atomically. Redis runs a script as one step and
/// StackExchange.Redis sends it by its SHA1 after the first time.
/// </summary>
internal static class RedisScripts
{
    /// <summary>
    /// <c>INCRBY</c> on a key that exists, nil otherwise: Django's incr fails on a missing key, where a bare
    /// <c>INCRBY</c> would create it (with no expiry). <c>INCRBY</c> keeps the key's TTL. The new value is answered as
    /// the stored text (<c>GET</c>), not as <c>INCRBY</c>'s integer: Lua holds numbers as doubles, which round an
    /// integer past 2^53 (9223372036854774966 came back as 9223372036854774784).
    /// </summary>
    public const string IncrementExisting =
        "if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('INCRBY', KEYS[1], ARGV[1]) return redis.call('GET', KEYS[1]) end return false";

    /// <summary>
    /// <c>SET … KEEPTTL</c> only if the key still holds <c>ARGV[1]</c>: the compare-and-swap for the counters Redis cannot
    /// count itself (a decimal with leading zeros, which other backends count).
    /// </summary>
    public const string ReplaceIfUnchanged =
        "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL') return 1 end return 0";

    /// <summary>
    /// <c>PERSIST</c>, answering 1 for any existing key: <c>PERSIST</c> alone answers 0 for a key that already had
    /// no expiry, which touch must count as live.
    /// </summary>
    public const string PersistExisting =
        "if redis.call('PERSIST', KEYS[1]) == 1 then return 1 end return redis.call('EXISTS', KEYS[1])";
}
