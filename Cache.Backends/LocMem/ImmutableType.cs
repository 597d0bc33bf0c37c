using System.ComponentModel;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace FunctionalCache.Backends.LocMem;

/// <summary>
/// Whether locmem's copy store may hold a <typeparamref name="T"/> as it is instead of a serialized copy: when no value
/// of the type can change once made, a copy protects nothing. The type's verdict is computed once, so a write reads a
/// field; <see cref="Holds"/> adds what the serializer and the value itself decide.
/// </summary>
/// <remarks>
/// Held: <see cref="string"/>; the primitive value types but <see cref="nint"/> and <see cref="nuint"/> (which
/// System.Text.Json refuses, so their writes keep failing as before); <see cref="decimal"/>, <see cref="DateTime"/>,
/// <see cref="DateTimeOffset"/>, <see cref="TimeSpan"/>, <see cref="Guid"/>, <see cref="DateOnly"/>,
/// <see cref="TimeOnly"/>; enums; the nullable forms of all these; and sealed classes or structs marked
/// <c>[ImmutableObject(true)]</c>, which is HybridCache's rule for reusing an instance instead of deserializing it.
/// Every held type but the marked ones reads back from its serialized form as an equal value, so holding it changes
/// no answer; a marked type is the author's promise, and comes back as it was stored, never serialized.
/// </remarks>
internal static class ImmutableType<T>
{
    // Declared before Is, which reads it during the type's initialization.
    private static readonly Form Kind = FormOf(Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T));

    /// <summary>True when values of <typeparamref name="T"/> cannot change once made.</summary>
    public static readonly bool Is = Kind != Form.Copied;

    /// <summary>The runtime type of a held <typeparamref name="T"/>: itself, or the type under <see cref="Nullable{T}"/>.</summary>
    public static readonly Type HeldAs = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);

    // The last options asked about and their answer (most processes have one serializer), kept as one object so a
    // reader never pairs one options' answer with another's.
    private static Verdict? _last;

    /// <summary>
    /// True when <paramref name="value"/>, of an immutable type, may be held by a cache that writes with
    /// <paramref name="serializer"/>: the value reads back from the serializer's form unchanged, or its type is marked.
    /// </summary>
    public static bool Holds(object value, JsonCacheSerializer serializer) => Kind switch
    {
        // Strings and integers keep their raw forms whatever the options; a lone surrogate is refused by the serializer.
        Form.Raw => value is not string text || IsUnicode(text),
        Form.Json => KeepsJsonForm(serializer.Options) && ReadsBackEqual(value),
        Form.Marked => true,
        _ => false,
    };

    private enum Form : byte
    {
        /// <summary>Mutable, or not known to be immutable: copied.</summary>
        Copied,

        /// <summary>Stored raw by the default serializer (UTF-8 text, ASCII decimal), whatever its JSON options.</summary>
        Raw,

        /// <summary>Stored as JSON by System.Text.Json's own converter, which reads back an equal value.</summary>
        Json,

        /// <summary>A sealed type marked <c>[ImmutableObject(true)]</c>.</summary>
        Marked,
    }

    private static Form FormOf(Type type)
    {
        if (type == typeof(string) || type == typeof(long) || type == typeof(int) || type == typeof(short) || type == typeof(sbyte)
            || type == typeof(byte) || type == typeof(ushort) || type == typeof(uint))
            return Form.Raw;
        if (type.IsEnum || type == typeof(bool) || type == typeof(char) || type == typeof(ulong) || type == typeof(float)
            || type == typeof(double) || type == typeof(decimal) || type == typeof(DateTime) || type == typeof(DateTimeOffset)
            || type == typeof(TimeSpan) || type == typeof(Guid) || type == typeof(DateOnly) || type == typeof(TimeOnly))
            return Form.Json;
        // Unsealed, a subclass could add mutable state; an interface or object could be anything.
        if ((type.IsValueType || type.IsSealed) && type.GetCustomAttribute<ImmutableObjectAttribute>() is { Immutable: true })
            return Form.Marked;
        return Form.Copied;
    }

    /// <summary>False for the few values whose JSON round trip is not the identity: the serializer's copy stays their answer.</summary>
    private static bool ReadsBackEqual(object value) => value switch
    {
        // JSON has no NaN or infinity: the serializer refuses them, as it did.
        double d => double.IsFinite(d),
        float f => float.IsFinite(f),
        // A local time is written with its offset and read back through the time zone's rules, which can move it.
        DateTime t => t.Kind != DateTimeKind.Local,
        // The JSON number drops the sign of a negative zero.
        decimal m => m != 0 || !decimal.IsNegative(m),
        // A lone surrogate reads back as U+FFFD.
        char c => !char.IsSurrogate(c),
        _ => true,
    };

    /// <summary>True when <paramref name="options"/> write <typeparamref name="T"/> with System.Text.Json's own converter.</summary>
    private static bool KeepsJsonForm(JsonSerializerOptions options)
    {
        var last = Volatile.Read(ref _last);
        if (last is not null && ReferenceEquals(last.Options, options)) return last.Keeps;
        // Frozen as the serializer's first use would freeze them, so the answer cannot go stale.
        if (!options.IsReadOnly) options.MakeReadOnly(populateMissingResolver: true);
        var keeps = options.NumberHandling == JsonNumberHandling.Strict
            && options.TypeInfoResolver is DefaultJsonTypeInfoResolver { Modifiers.Count: 0 } resolver
            && resolver.GetType() == typeof(DefaultJsonTypeInfoResolver)
            && !options.Converters.Any(converter => converter.CanConvert(typeof(T)) || converter.CanConvert(HeldAs));
        Volatile.Write(ref _last, new Verdict(options, keeps));
        return keeps;
    }

    /// <summary>True unless <paramref name="text"/> holds a lone surrogate (which is not Unicode text, so not storable).</summary>
    private static bool IsUnicode(ReadOnlySpan<char> text)
    {
        for (var at = text.IndexOfAnyInRange('\uD800', '\uDFFF'); at >= 0; at = text.IndexOfAnyInRange('\uD800', '\uDFFF'))
        {
            if (!char.IsHighSurrogate(text[at]) || at + 1 == text.Length || !char.IsLowSurrogate(text[at + 1])) return false;
            text = text[(at + 2)..];
        }
        return true;
    }

    private sealed record Verdict(JsonSerializerOptions Options, bool Keeps);
}
