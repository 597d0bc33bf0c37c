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
    /// <paramref name="text"/> in single quotes for a message, with control characters shown as
    /// <c>\uXXXX</c> so that a message is always one line.
    /// </summary>
    public static string Quoted(string text)
    {
        var b = new StringBuilder(text.Length + 2).Append('\'');
        foreach (var c in text)
        {
            if (char.IsControl(c) || c is '\u2028' or '\u2029') b.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            else b.Append(c);
        }
        return b.Append('\'').ToString();
    }
}
