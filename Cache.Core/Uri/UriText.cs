using System.Globalization;
using System.Text;

namespace FunctionalCache;

/// <summary>Small pure helpers for <see cref="BackendUri"/>: Python's <c>int()</c> and quoting for messages.</summary>
internal static class UriText
{
    /// <summary>
    /// Python 2 <c>int(text)</c> limited to <see cref="int"/>: optional ASCII blanks around, an optional
    /// sign, then one or more ASCII digits. Anything else (including overflow) is <c>null</c>.
    /// </summary>
    public static int? PythonInt(string text)
    {
        var s = text.Trim(' ', '\t', '\n', '\r', '\v', '\f');
        if (s.Length == 0) return null;
        var start = s[0] is '+' or '-' ? 1 : 0;
        if (start == s.Length) return null;
        for (var i = start; i < s.Length; i++)
            if (!char.IsAsciiDigit(s[i])) return null;
        return int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;
    }

    /// <summary>
    /// A URI path (RFC 3986 §2.1) percent-decoded: each run of <c>%XX</c> escapes is decoded as UTF-8; a <c>+</c> stays
    /// a plus (only a query writes a space as <c>+</c>). Either the decoded text, or the end of a sentence saying what is
    /// wrong: a <c>%</c> not followed by two hex digits, or escapes that are not UTF-8 (Python's <c>unquote</c> would
    /// silently write U+FFFD, which for a path names another directory).
    /// </summary>
    public static (string? Value, string? Problem) UnquotePath(string text)
    {
        var percent = text.IndexOf('%');
        if (percent < 0) return (text, null);
        var result = new StringBuilder(text.Length);
        result.Append(text, 0, percent);
        var bytes = new List<byte>();
        for (var i = percent; i < text.Length; i++)
        {
            var c = text[i];
            if (c != '%')
            {
                if (Flush(bytes, result) is { } bad) return (null, bad);
                result.Append(c);
                continue;
            }
            if (i + 2 >= text.Length || !char.IsAsciiHexDigit(text[i + 1]) || !char.IsAsciiHexDigit(text[i + 2]))
                return (null, $"has a malformed percent escape {Quoted(text.Substring(i, Math.Min(3, text.Length - i)))}: write %25 for a '%' that belongs to it.");
            bytes.Add(byte.Parse(text.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
            i += 2;
        }
        return Flush(bytes, result) is { } last ? (null, last) : (result.ToString(), null);
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // Appends the decoded run of escapes; the problem when they are not UTF-8.
    private static string? Flush(List<byte> bytes, StringBuilder result)
    {
        if (bytes.Count == 0) return null;
        try
        {
            result.Append(StrictUtf8.GetString(bytes.ToArray()));
            return null;
        }
        catch (DecoderFallbackException)
        {
            return $"has percent escapes that are not UTF-8 text: {Quoted(string.Concat(bytes.Select(b => $"%{b:X2}")))}.";
        }
        finally
        {
            bytes.Clear();
        }
    }

    /// <summary>
    /// <paramref name="text"/> in single quotes for a message, with control characters shown as escapes
    /// (<see cref="MessageText.Quoted"/>) so that a message is always one line.
    /// </summary>
    public static string Quoted(string text) => MessageText.Quoted(text);
}
