using System.Security.Cryptography;
using System.Text;

namespace FunctionalCache.Backends.Memcached;

/// <summary>Key functions for memcached.</summary>
public static class MemcachedKeys
{
    /// <summary>
    /// Opt-in key function: Django's <c>prefix:version:key</c> when memcached can store it as is; otherwise
    /// (over 250 UTF-8 bytes, a space or a control character) <c>sha256:</c> and the hex SHA-256 of that
    /// made key, 71 safe characters.
    /// </summary>
    /// <remarks>
    /// A hashed key cannot collide with a plain made key: plain made keys hold at least two colons, hashed
    /// ones exactly one. The price: a hashed key no longer shows its prefix to someone reading the server.
    /// </remarks>
    public static Func<string, string, int, string> HashLongOrUnsafe { get; } = (key, prefix, version) =>
    {
        var made = CacheKeys.DefaultKeyFunction(key, prefix, version);
        return IsSafe(made) ? made : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(made)));
    };

    /// <summary>True when memcached can store <paramref name="madeKey"/> unchanged (and no warning would be raised).</summary>
    public static bool IsSafe(string madeKey) =>
        madeKey.Length > 0 && KeyRules.Validate(madeKey).IsEmpty && Encoding.UTF8.GetByteCount(madeKey) <= MemcachedWireKey.MaxBytes;
}
