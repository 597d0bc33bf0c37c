using System.Text;
using System.Text.Json;

namespace FunctionalCache;

/// <summary>
/// The default serializer: strings as UTF-8 and byte arrays as themselves (both raw), integers as ASCII
/// decimal, everything else as System.Text.Json without type names.
/// </summary>
/// <remarks>
/// Caller-given <see cref="JsonSerializerOptions"/> decide the JSON (converters, naming); strings, byte arrays and
/// integers keep their raw forms whatever the options, so counters agree on every backend. Thread-safe; the options
/// are frozen on first use, as System.Text.Json does.
/// </remarks>
public sealed class JsonCacheSerializer : ICacheSerializer
{
    /// <summary>The shared instance, with System.Text.Json's general defaults.</summary>
    public static JsonCacheSerializer Instance { get; } = new();

    private readonly JsonSerializerOptions _options;

    /// <summary>A serializer with System.Text.Json's general defaults.</summary>
    public JsonCacheSerializer() : this(new JsonSerializerOptions(JsonSerializerDefaults.General)) { }

    /// <summary>A serializer that writes JSON with <paramref name="options"/> (add converters here, e.g. for F# unions).</summary>
    /// <param name="options">The options; a type-name handling converter has no place here (see <see cref="ICacheSerializer"/>).</param>
    public JsonCacheSerializer(JsonSerializerOptions options) => _options = Guard.NotNull(options, nameof(options));

    /// <summary>The JSON options in use.</summary>
    public JsonSerializerOptions Options => _options;

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
        try { return JsonSerializer.Deserialize<T>(payload, _options)!; }
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

    private byte[] Json<T>(T value)
    {
        try { return JsonSerializer.SerializeToUtf8Bytes(value, _options); }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new CacheSerializationException($"A value of type {value?.GetType().Name ?? typeof(T).Name} cannot be serialized to JSON: {e.Message}{HintFor(e)}", e);
        }
    }

    // System.Text.Json refuses F# unions by itself; say where the converter that handles them lives.
    private static string HintFor(Exception e) =>
        e.Message.Contains("F# discriminated union", StringComparison.Ordinal)
            ? " Use FunctionalCache.FSharp's Serialization.serializer, or add FSharp.SystemTextJson's JsonFSharpConverter to the JsonSerializerOptions."
            : "";

    private static bool IsInteger(Type t) =>
        t == typeof(long) || t == typeof(int) || t == typeof(short) || t == typeof(sbyte) || t == typeof(byte) || t == typeof(ushort) || t == typeof(uint);

    private static CacheSerializationException Unreadable<T>(Exception? cause) =>
        new($"The stored bytes are not a {typeof(T).Name}.", cause);
}
