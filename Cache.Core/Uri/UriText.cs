using System.Globalization;

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
    /// <paramref name="text"/> in single quotes for a message, with control characters shown as escapes
    /// (<see cref="MessageText.Quoted"/>) so that a message is always one line.
    /// </summary>
    public static string Quoted(string text) => MessageText.Quoted(text);
}
