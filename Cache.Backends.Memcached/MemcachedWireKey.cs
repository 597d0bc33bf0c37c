using System.Buffers.Text;
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
            throw new InvalidCacheKeyException(key, KeyRules.TooLongMessage(key, $"{MaxBytes} bytes in UTF-8"));
        foreach (var b in bytes)
        {
            if (b <= 0x20 || b == 0x7F)
                throw new InvalidCacheKeyException(key, KeyRules.UnsafeCharacterMessage(key));
        }
        return bytes;
    }

    /// <summary>
    /// Writes the made key of the default key function (<c>prefix:version:key</c>) into <paramref name="into"/>
    /// without building its string; -1 when it cannot be sent as is (too long, a forbidden byte, or a
    /// surrogate at a seam) and the caller must take the slow path, which builds the string and reports it.
    /// </summary>
    /// <remarks>
    /// The bytes are those of <see cref="Encode"/> on the made string: UTF-8 of the parts, which is UTF-8 of
    /// their concatenation unless a surrogate pair would straddle a seam (then -1).
    /// </remarks>
    public static int TryWriteDefault(string prefix, int version, string key, Span<byte> into)
    {
        if (key.Length == 0 || char.IsSurrogate(key[0]) || (prefix.Length > 0 && char.IsSurrogate(prefix[^1]))) return -1;
        var limit = into.Length < MaxBytes ? into : into[..MaxBytes];
        if (!Encoding.UTF8.TryGetBytes(prefix, limit, out var written)) return -1;
        var length = written;
        if (length >= limit.Length) return -1;
        limit[length++] = (byte)':';
        if (!Utf8Formatter.TryFormat(version, limit[length..], out written)) return -1;
        length += written;
        if (length >= limit.Length) return -1;
        limit[length++] = (byte)':';
        if (!Encoding.UTF8.TryGetBytes(key, limit[length..], out written)) return -1;
        length += written;
        return IsSafe(limit[..length]) ? length : -1;
    }

    /// <summary>Writes <paramref name="madeKey"/> into <paramref name="into"/> (at least <see cref="MaxBytes"/> long), checked as <see cref="Encode"/> checks it.</summary>
    /// <exception cref="InvalidCacheKeyException">The key cannot be sent.</exception>
    public static int Write(string madeKey, Span<byte> into)
    {
        if (madeKey is { Length: > 0 } && Encoding.UTF8.TryGetBytes(madeKey, into[..MaxBytes], out var written) && IsSafe(into[..written])) return written;
        var bytes = Encode(madeKey); // throws the exact error
        bytes.CopyTo(into);
        return bytes.Length;
    }

    private static bool IsSafe(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b <= 0x20 || b == 0x7F) return false;
        }
        return true;
    }
}
