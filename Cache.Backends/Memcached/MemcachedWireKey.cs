using System.Text;

namespace FunctionalCache.Backends.Memcached;

/// <summary>
/// A key as memcached's text protocol carries it: UTF-8, at most 250 bytes, no space, control
/// character or DEL byte. The last line of defence: a key with CR or LF can never reach the wire.
/// </summary>
internal static class MemcachedWireKey
{
    /// <summary>memcached's KEY_MAX_LENGTH, in bytes.</summary>
    public const int MaxBytes = 250;

    /// <summary>The key's bytes.</summary>
    /// <exception cref="InvalidCacheKeyException">The key cannot be sent.</exception>
    public static byte[] Encode(string key)
    {
        Guard.NotNull(key, nameof(key));
        if (key.Length == 0) throw new InvalidCacheKeyException(key, "A memcached key must not be empty.");
        var bytes = Encoding.UTF8.GetBytes(key);
        if (bytes.Length > MaxBytes)
            throw new InvalidCacheKeyException(key, $"Cache key will cause errors if used with memcached: '{key}' (longer than {MaxBytes} bytes in UTF-8)");
        foreach (var b in bytes)
        {
            if (b <= 0x20 || b == 0x7F)
                throw new InvalidCacheKeyException(key, $"Cache key contains characters that will cause errors if used with memcached: '{key}'");
        }
        return bytes;
    }
}
