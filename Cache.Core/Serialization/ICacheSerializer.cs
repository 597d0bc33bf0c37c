namespace FunctionalCache;

/// <summary>
/// Turns values into the bytes a backend stores and back. Implementations must not embed or trust
/// type names (no type-directed deserialization): the caller's <c>T</c> decides the type.
/// </summary>
/// <remarks>Integers are written as ASCII decimal, so memcached's native incr/decr and every other backend agree.</remarks>
public interface ICacheSerializer
{
    /// <summary>The bytes for <paramref name="value"/>.</summary>
    /// <exception cref="CacheSerializationException">The value cannot be serialized.</exception>
    byte[] Serialize<T>(T value);

    /// <summary>The value of type <typeparamref name="T"/> in <paramref name="payload"/>.</summary>
    /// <exception cref="CacheSerializationException">The bytes are not a <typeparamref name="T"/>.</exception>
    T Deserialize<T>(ReadOnlySpan<byte> payload);
}
