using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Http;

/// <summary>
/// One Cache-Control directive: a lower-cased name and, unless it is written bare, the text after its <c>=</c>
/// kept exactly as written (quotes included).
/// </summary>
/// <param name="Name">The directive name, lower-cased (<c>max-age</c>, <c>no-cache</c>, <c>x-extension</c>).</param>
/// <param name="Value">The text after the first <c>=</c>, verbatim; None for a bare directive (<c>public</c>).</param>
/// <remarks>RFC 9111 §5.2. Immutable and thread-safe.</remarks>
public sealed record CacheDirective(string Name, Option<string> Value)
{
    /// <summary>A bare directive such as <c>public</c> or <c>no-store</c>.</summary>
    public static CacheDirective Flag(string name) => new(name, None);

    /// <summary>A directive with a value, such as <c>max-age=60</c> or <c>no-cache=Set-Cookie</c>.</summary>
    public static CacheDirective WithValue(string name, string value) => new(name, Some(value));

    /// <summary>True for a bare directive.</summary>
    public bool IsFlag => Value.IsNone;

    /// <summary>The header text: <c>name</c> or <c>name=value</c>.</summary>
    public string Format() => ValueOrNull is { } value ? Name + "=" + value : Name;

    /// <summary>The value's text, or null for a bare directive: read without a delegate on the hot paths.</summary>
    internal string? ValueOrNull => Value.Case as string;

    /// <summary>The length of <see cref="Format"/>.</summary>
    internal int FormattedLength => ValueOrNull is { } value ? Name.Length + 1 + value.Length : Name.Length;

    /// <summary>Writes <see cref="Format"/> at the start of <paramref name="destination"/> and returns the characters written.</summary>
    internal int WriteTo(Span<char> destination)
    {
        Name.CopyTo(destination);
        if (ValueOrNull is not { } value) return Name.Length;
        destination[Name.Length] = '=';
        value.CopyTo(destination[(Name.Length + 1)..]);
        return Name.Length + 1 + value.Length;
    }

    /// <summary>The header text, as <see cref="Format"/>.</summary>
    public override string ToString() => Format();
}
