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
    public string Format() => Value.Match(Some: v => Name + "=" + v, None: () => Name);

    /// <summary>The header text, as <see cref="Format"/>.</summary>
    public override string ToString() => Format();
}
