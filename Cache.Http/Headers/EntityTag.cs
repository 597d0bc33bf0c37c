using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Http;

/// <summary>
/// An entity tag (RFC 9110 §8.8.3): an opaque text between double quotes, optionally marked weak with
/// <c>W/</c>. Written <c>"x"</c> or <c>W/"x"</c>.
/// </summary>
/// <remarks>
/// Well-formed means Django's <c>ETAG_MATCH</c>: an optional <c>W/</c>, a quote, any characters but a
/// quote, a quote, and nothing else. Immutable and thread-safe.
/// </remarks>
public sealed record EntityTag
{
    private EntityTag(string opaque, bool isWeak)
    {
        Opaque = opaque;
        IsWeak = isWeak;
    }

    /// <summary>The text between the quotes.</summary>
    public string Opaque { get; }

    /// <summary>True for a weak tag (<c>W/"x"</c>).</summary>
    public bool IsWeak { get; }

    /// <summary>The strong tag <c>"<paramref name="opaque"/>"</c>.</summary>
    /// <exception cref="ArgumentException">The text contains a double quote.</exception>
    public static EntityTag Strong(string opaque) => new(CheckOpaque(opaque), false);

    /// <summary>The weak tag <c>W/"<paramref name="opaque"/>"</c>.</summary>
    /// <exception cref="ArgumentException">The text contains a double quote.</exception>
    public static EntityTag Weak(string opaque) => new(CheckOpaque(opaque), true);

    /// <summary>
    /// The tag written in <paramref name="text"/>, exactly (no blanks around it), or None when it is not a
    /// well-formed tag (<c>spam</c> without quotes, <c>"a"b"</c>, <c>*</c>, …). Never throws.
    /// </summary>
    public static Option<EntityTag> Parse(string? text)
    {
        if (text is null) return None;
        var weak = text.StartsWith("W/", StringComparison.Ordinal);
        var start = weak ? 2 : 0;
        if (text.Length < start + 2 || text[start] != '"' || text[^1] != '"') return None;
        var opaque = text.Substring(start + 1, text.Length - start - 2);
        return opaque.Contains('"') ? None : Some(new EntityTag(opaque, weak));
    }

    /// <summary>
    /// The tags of an <c>If-Match</c> / <c>If-None-Match</c> value: <see cref="EntityTagList.Any"/> for <c>*</c>
    /// (blanks around it allowed), otherwise each comma-separated entry that is a well-formed tag after trimming
    /// its blanks; malformed entries are dropped, so a value of only malformed entries gives an empty list.
    /// Never throws.
    /// </summary>
    /// <remarks>Django's <c>parse_etags</c>. Like Django it splits at every comma, so <c>"a,b"</c> is two malformed entries.</remarks>
    public static EntityTagList ParseList(string? text)
    {
        if (text is null) return EntityTagList.Of();
        if (PyStrip(text) == "*") return EntityTagList.Any;
        var tags = text.Split(',').Select(entry => Parse(PyStrip(entry))).Somes();
        return EntityTagList.Of(tags.ToArray());
    }

    /// <summary>Strong comparison (RFC 9110 §8.8.3.2): both tags are strong and their texts are equal.</summary>
    public bool StrongEquals(EntityTag other) => !IsWeak && !other.IsWeak && Opaque == other.Opaque;

    /// <summary>Weak comparison (RFC 9110 §8.8.3.2): the texts are equal, whatever either tag's weakness.</summary>
    public bool WeakEquals(EntityTag other) => Opaque == other.Opaque;

    /// <summary>The header text: <c>"x"</c> or <c>W/"x"</c>.</summary>
    public override string ToString() => IsWeak ? $"W/\"{Opaque}\"" : $"\"{Opaque}\"";

    private static string CheckOpaque(string opaque)
    {
        Guard.NotNull(opaque, nameof(opaque));
        Guard.That(!opaque.Contains('"'), nameof(opaque), "An entity tag's text must not contain a double quote.");
        return opaque;
    }

    // Django strips with Python's str.strip(), whose blanks are .NET's white space plus U+001C–U+001F.
    private static string PyStrip(string s)
    {
        int start = 0, end = s.Length;
        while (start < end && IsPySpace(s[start])) start++;
        while (end > start && IsPySpace(s[end - 1])) end--;
        return s.Substring(start, end - start);
    }

    private static bool IsPySpace(char c) => char.IsWhiteSpace(c) || c is >= '\x1c' and <= '\x1f';
}
