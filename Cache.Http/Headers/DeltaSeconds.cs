using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Http;

/// <summary>How a Cache-Control value is read as a number of seconds, shared by every typed accessor and the merge.</summary>
/// <remarks>
/// Python's <c>int()</c>, which Django applies to the text after <c>=</c>: blanks around the number are ignored, an
/// optional sign, ASCII digits with single underscores between them (<c>" 60"</c>, <c>"+7"</c>, <c>"007"</c>,
/// <c>"1_000"</c> all read). Two deliberate differences: non-ASCII digits, which Python also accepts, are refused;
/// and a number beyond a <see cref="long"/> saturates to <see cref="long.MaxValue"/> (or <see cref="long.MinValue"/>),
/// as RFC 9111 §1.2.2 asks of a cache that cannot represent a delta-seconds value, where Python keeps every digit.
/// </remarks>
internal static class DeltaSeconds
{
    /// <summary>Django's <c>int(True)</c>: a directive written without a value reads as 1.</summary>
    public const long Flag = 1;

    public static Option<long> Read(Option<string> value) =>
        value.Match(Some: Read, None: () => Some(Flag));

    public static Option<long> Read(string text)
    {
        var start = 0;
        var end = text.Length;
        while (start < end && IsPythonSpace(text[start])) start++;
        while (end > start && IsPythonSpace(text[end - 1])) end--;
        if (start == end) return None;

        var negative = text[start] == '-';
        if (text[start] is '-' or '+') start++;
        if (start == end || !IsDigit(text[start]) || !IsDigit(text[end - 1])) return None;

        ulong magnitude = 0;
        var saturated = false;
        for (var i = start; i < end; i++)
        {
            var c = text[i];
            if (c == '_')
            {
                // Python allows one underscore between two digits; the last character is a digit (checked above).
                if (!IsDigit(text[i + 1])) return None;
                continue;
            }
            if (!IsDigit(c)) return None;
            if (saturated) continue;
            var next = magnitude * 10 + (ulong)(c - '0');
            if (magnitude > (ulong.MaxValue - 9) / 10 || next > (ulong)long.MaxValue + 1) saturated = true;
            else magnitude = next;
        }

        if (negative) return saturated || magnitude > (ulong)long.MaxValue ? long.MinValue : -(long)magnitude;
        return saturated || magnitude > long.MaxValue ? long.MaxValue : (long)magnitude;
    }

    private static bool IsDigit(char c) => c is >= '0' and <= '9';

    // Python's str.isspace: Unicode white space plus the four ASCII information separators.
    private static bool IsPythonSpace(char c) => char.IsWhiteSpace(c) || c is >= '\x1c' and <= '\x1f';
}
