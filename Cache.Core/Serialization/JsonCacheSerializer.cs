using System.Text;
using System.Text.Json;

namespace FunctionalCache;

/// <summary>
/// The default serializer: strings as UTF-8 and byte arrays as themselves (both raw), integers as ASCII
/// decimal, everything else as System.Text.Json without type names.
/// </summary>
/// <remarks>Thread-safe and stateless.</remarks>
public sealed class JsonCacheSerializer : ICacheSerializer
{
    /// <summary>The shared instance.</summary>
    public static JsonCacheSerializer Instance { get; } = new();

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General);

    // Strict UTF-8: a string with a lone surrogate is refused instead of silently coming back altered.
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <inheritdoc/>
    public byte[] Serialize<T>(T value) => value switch
    {
        string s => Text(s),
        byte[] b => (byte[])b.Clone(),
        long or int or short or sbyte or byte or ushort or uint => IntegerText.Format(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)),
        _ => Json(value),
    };

    /// <inheritdoc/>
    public T Deserialize<T>(ReadOnlySpan<byte> payload)
    {
        if (typeof(T) == typeof(string))
        {
            try { return (T)(object)Utf8.GetString(payload); }
            catch (DecoderFallbackException e) { throw Unreadable<T>(e); }
        }
        if (typeof(T) == typeof(byte[])) return (T)(object)payload.ToArray();
        if (IsInteger(typeof(T)))
        {
            var parsed = IntegerText.Parse(payload);
            if (parsed.IsNone) throw Unreadable<T>(null);
            try { return (T)Convert.ChangeType(parsed.IfNone(0), typeof(T), System.Globalization.CultureInfo.InvariantCulture); }
            catch (OverflowException e) { throw Unreadable<T>(e); }
        }
        try { return JsonSerializer.Deserialize<T>(payload, Options)!; }
        catch (Exception e) when (e is JsonException or NotSupportedException) { throw Unreadable<T>(e); }
    }

    private static byte[] Text(string value)
    {
        try { return Utf8.GetBytes(value); }
        catch (EncoderFallbackException e)
        {
            throw new CacheSerializationException("A string with a lone surrogate cannot be stored: it is not valid Unicode text.", e);
        }
    }

    private static byte[] Json<T>(T value)
    {
        try { return JsonSerializer.SerializeToUtf8Bytes(value, Options); }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new CacheSerializationException($"A value of type {value?.GetType().Name ?? typeof(T).Name} cannot be serialized to JSON: {e.Message}", e);
        }
    }

    private static bool IsInteger(Type t) =>
        t == typeof(long) || t == typeof(int) || t == typeof(short) || t == typeof(sbyte) || t == typeof(byte) || t == typeof(ushort) || t == typeof(uint);

    private static CacheSerializationException Unreadable<T>(Exception? cause) =>
        new($"The stored bytes are not a {typeof(T).Name}.", cause);
}
