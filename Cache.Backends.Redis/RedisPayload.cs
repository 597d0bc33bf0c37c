using StackExchange.Redis;

namespace FunctionalCache.Backends.Redis;

/// <summary>
/// Payloads as Redis strings. Serialized bytes are stored as they are, so an integer is its ASCII digits and
/// <c>INCRBY</c> counts it, and a value written by another client reads back as its bytes. Redis has no flags beside
/// a value, so a stored null is the one byte 0x00, and a value that itself begins with 0x00 is stored with one more
/// 0x00 in front (no JSON text, number or UTF-8 string written by the serializer begins with it).
/// </summary>
internal static class RedisPayload
{
    private const byte Marker = 0;

    private static readonly byte[] s_null = [Marker];

    /// <summary>The Redis string for a payload made by the cache's encoder.</summary>
    public static RedisValue Store(object payload)
    {
        if (payload is not byte[] bytes) return s_null;
        if (bytes.Length == 0 || bytes[0] != Marker) return bytes;
        var escaped = new byte[bytes.Length + 1];
        bytes.CopyTo(escaped, 1);
        return escaped;
    }

    /// <summary>The payload a stored string holds; None for a missing key.</summary>
    public static LanguageExt.Option<object> Read(RedisValue value)
    {
        if (value.IsNull) return LanguageExt.Option<object>.None;
        var bytes = (byte[])value!;
        if (bytes.Length == 0 || bytes[0] != Marker) return LanguageExt.Option<object>.Some(bytes);
        return bytes.Length == 1 ? LanguageExt.Option<object>.Some(StoredNull.Instance) : LanguageExt.Option<object>.Some(bytes[1..]);
    }
}
