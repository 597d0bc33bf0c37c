using System.Globalization;
using System.Text;

namespace FunctionalCache;

/// <summary>
/// Caller text (a key, a header value, a URI) made safe to quote in a message: every character that could
/// forge or hide a log line is shown as a visible escape, so a message keeps the lines its own layout gives it.
/// Pure; never throws.
/// </summary>
/// <remarks>
/// Escaped: the C0 controls, DEL and the C1 controls (<c>\n</c>, <c>\r</c>, <c>\t</c> by name, the rest as
/// <c>\xHH</c>: a terminal reads ESC and CSI as commands, a log reader CR and LF and NEL as new lines), the
/// line and paragraph separators U+2028/U+2029, the bidirectional formatting characters (which reorder what a
/// reader sees, CVE-2021-42574) and lone surrogates (which no UTF-8 log can hold), as <c>\uXXXX</c>.
/// A backslash is not doubled: the escapes are for a reader, not meant to be parsed back.
/// </remarks>
internal static class MessageText
{
    /// <summary><paramref name="text"/> in single quotes, escaped as <see cref="Escaped"/> does.</summary>
    public static string Quoted(string text) => string.Concat("'", Escaped(text), "'");

    /// <summary><paramref name="text"/> with every unsafe character shown as a visible escape; the same string when there is none.</summary>
    public static string Escaped(string text)
    {
        var first = FirstUnsafe(text);
        if (first < 0) return text;
        var b = new StringBuilder(text.Length + 16).Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                b.Append(c).Append(text[++i]);
                continue;
            }
            if (!IsUnsafe(c)) b.Append(c);
            else if (c == '\n') b.Append("\\n");
            else if (c == '\r') b.Append("\\r");
            else if (c == '\t') b.Append("\\t");
            else if (c <= '\u00FF') b.Append("\\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            else b.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
        }
        return b.ToString();
    }

    /// <summary>
    /// True for a character <see cref="Escaped"/> escapes (a surrogate counts: only a lone one is escaped, which
    /// the caller tells by its neighbour).
    /// </summary>
    public static bool IsUnsafe(char c) =>
        char.IsControl(c) // C0, DEL, C1
        || c is '\u2028' or '\u2029' // line and paragraph separators
        || c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') // bidi
        || char.IsSurrogate(c);

    private static int FirstUnsafe(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
            if (IsUnsafe(c)) return i;
        }
        return -1;
    }
}
