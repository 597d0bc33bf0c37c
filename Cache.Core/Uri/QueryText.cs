using System.Text;

namespace FunctionalCache;

/// <summary>
/// Python 2 <c>parse_qsl</c> as Django 1.0/1.1 used it (blank values dropped), and its inverse for
/// <see cref="BackendUri.Format"/>. Pure string functions; never throw.
/// </summary>
internal static class QueryText
{
    /// <summary>
    /// The decoded (name, value) pairs in order: pairs split on <c>&amp;</c> and <c>;</c>, empty pairs,
    /// pairs without <c>=</c> and pairs with an empty raw value skipped.
    /// </summary>
    public static List<(string Name, string Value)> Pairs(string query)
    {
        var pairs = new List<(string, string)>();
        foreach (var piece in query.Split('&', ';'))
        {
            var eq = piece.IndexOf('=');
            if (eq < 0) continue;
            var rawValue = piece.Substring(eq + 1);
            if (rawValue.Length == 0) continue;
            pairs.Add((Unquote(piece.Substring(0, eq)), Unquote(rawValue)));
        }
        return pairs;
    }

    /// <summary>
    /// <c>+</c> becomes a space, then each run of <c>%XX</c> escapes is decoded as UTF-8 (invalid bytes
    /// become U+FFFD, as Python 3's <c>unquote</c> does); a <c>%</c> not followed by two hex digits stays.
    /// </summary>
    public static string Unquote(string text)
    {
        if (text.IndexOf('%') < 0 && text.IndexOf('+') < 0) return text;
        var result = new StringBuilder(text.Length);
        var bytes = new List<byte>();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '%' && i + 2 < text.Length && IsHex(text[i + 1]) && IsHex(text[i + 2]))
            {
                bytes.Add((byte)(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2])));
                i += 2;
                continue;
            }
            Flush(bytes, result);
            result.Append(c == '+' ? ' ' : c);
        }
        Flush(bytes, result);
        return result.ToString();
    }

    /// <summary>
    /// Escapes <paramref name="text"/> so that <see cref="Unquote"/> gives it back and it cannot split a
    /// pair: every ASCII character except letters, digits and <c>-._~!$'()*,/:@</c> becomes <c>%XX</c>;
    /// non-ASCII characters stay as they are (they decode to themselves).
    /// </summary>
    public static string Quote(string text)
    {
        var result = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c >= 0x80 || char.IsAsciiLetterOrDigit(c) || "-._~!$'()*,/:@".IndexOf(c) >= 0)
                result.Append(c);
            else
                result.Append('%').Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return result.ToString();
    }

    private static void Flush(List<byte> bytes, StringBuilder result)
    {
        if (bytes.Count == 0) return;
        result.Append(Encoding.UTF8.GetString(bytes.ToArray()));
        bytes.Clear();
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) =>
        c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
