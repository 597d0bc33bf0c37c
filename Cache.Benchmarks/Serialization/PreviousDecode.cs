using System.Globalization;
using System.Text;
using System.Text.Json;

namespace FunctionalCache.Benchmarks.Serialization;

/// <summary>
/// The default serializer's decode as it was before issue 17 (for a before/after in one run): a strict
/// <see cref="UTF8Encoding"/> for strings, integers parsed to a long and converted through
/// <see cref="Convert.ChangeType(object, Type, IFormatProvider)"/> (two boxes), JSON through
/// <see cref="JsonSerializer.Deserialize{TValue}(ReadOnlySpan{byte}, JsonSerializerOptions)"/>. Not being the
/// sealed <see cref="JsonCacheSerializer"/>, it is also reached by the interface call locmem made then.
/// Encoding is the current serializer's (the stored bytes are the same).
/// </summary>
internal sealed class PreviousDecode : ICacheSerializer
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public byte[] Serialize<T>(T value) => JsonCacheSerializer.Instance.Serialize(value);

    public T Deserialize<T>(ReadOnlySpan<byte> payload)
    {
        if (typeof(T) == typeof(string)) return (T)(object)Strict.GetString(payload);
        if (typeof(T) == typeof(byte[])) return (T)(object)payload.ToArray();
        if (typeof(T) == typeof(int) || typeof(T) == typeof(long))
        {
            var parsed = IntegerText.Parse(payload);
            if (parsed.IsNone) throw new CacheSerializationException($"The stored bytes are not a {typeof(T).Name}.");
            return (T)Convert.ChangeType(parsed.IfNone(0), typeof(T), CultureInfo.InvariantCulture);
        }
        return JsonSerializer.Deserialize<T>(payload, JsonCacheSerializer.Instance.Options)!;
    }
}
