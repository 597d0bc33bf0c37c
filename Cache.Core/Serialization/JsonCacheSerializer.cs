using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

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

    /// <inheritdoc/>
    public byte[] Serialize<T>(T value)
    {
        // An integer known by its static type is widened without a box; one behind object still matches below.
        if (IntegerText.IsInteger<T>()) return IntegerText.Format(IntegerText.Widen(value));
        return value switch
        {
            string s => Text(s),
            byte[] b => (byte[])b.Clone(),
            long or int or short or sbyte or byte or ushort or uint => IntegerText.Format(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)),
            _ => Json(value),
        };
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Straight from the stored bytes: a string is one transcode into the returned string, an integer is parsed and
    /// narrowed without boxing, and JSON is read by System.Text.Json from the UTF-8 span with the type's metadata
    /// looked up once per serializer. The only allocation is the value itself (none for an integer).
    /// </remarks>
    public T Deserialize<T>(ReadOnlySpan<byte> payload)
    {
        // typeof(T) tests are constants for value types and one lookup in shared code; the casts through Unsafe.As
        // follow a test that proved the type, so no cast helper runs on the hit path.
        if (typeof(T) == typeof(string))
        {
            var text = StoredText.Decode(payload) ?? throw Unreadable<T>(null);
            return Unsafe.As<string, T>(ref text);
        }
        if (typeof(T) == typeof(byte[]))
        {
            var bytes = payload.ToArray();
            return Unsafe.As<byte[], T>(ref bytes);
        }
        if (IntegerText.IsInteger<T>())
        {
            if (!IntegerText.TryParse(payload, out var parsed)) throw Unreadable<T>(null);
            return IntegerText.TryNarrow(parsed, out T value) ? value : throw Unreadable<T>(null);
        }
        try { return JsonSerializer.Deserialize(payload, TypeInfo<T>())!; }
        catch (Exception e) when (e is JsonException or NotSupportedException) { throw Unreadable<T>(e); }
    }

    // The options' own lookup is a dictionary probe per call (with a one-entry shortcut that alternating types defeat);
    // this is a static field per T, used while it holds this serializer's options. Metadata that cannot be made
    // (an F# union without its converter) throws here, as JsonSerializer.Deserialize would.
    private JsonTypeInfo<T> TypeInfo<T>()
    {
        var cached = TypeInfoOf<T>.Last;
        if (cached is not null && ReferenceEquals(cached.Options, _options)) return cached;
        // GetTypeInfo does not fill in the default resolver as JsonSerializer does; a read before any write (bytes another
        // process stored) would find none, so freeze the options the way the first Serialize or Deserialize call would.
        if (!_options.IsReadOnly) _options.MakeReadOnly(populateMissingResolver: true);
        var info = (JsonTypeInfo<T>)_options.GetTypeInfo(typeof(T));
        TypeInfoOf<T>.Last = info;
        return info;
    }

    private static class TypeInfoOf<T>
    {
        // One serializer's metadata at a time (most processes have one); another serializer replaces it, never wrongly used.
        public static JsonTypeInfo<T>? Last;
    }

    private static byte[] Text(string value) =>
        StoredText.Encode(value) ?? throw new CacheSerializationException("A string with a lone surrogate cannot be stored: it is not valid Unicode text.");

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

    private static CacheSerializationException Unreadable<T>(Exception? cause) =>
        new($"The stored bytes are not a {typeof(T).Name}.", cause);
}
