using System.Globalization;
using System.Text;

namespace FunctionalCache.Cli;

/// <summary>Text made safe for one line of a terminal: what every <c>fcache</c> message goes through.</summary>
/// <remarks>
/// Messages quote keys, URIs and values from the command line, which may hold any character: a raw line feed
/// would split one message into two, an ESC or BEL would drive the terminal, a CR would overwrite the line.
/// Thread-safe (stateless).
/// </remarks>
internal static class Printable
{
    /// <summary>
    /// <paramref name="text"/> with every control character (C0, DEL, C1, the Unicode line and paragraph separators)
    /// and every lone surrogate written as an escape: <c>\n</c>, <c>\r</c>, <c>\t</c>, <c>\xNN</c> or <c>\uNNNN</c>.
    /// Other text, backslashes included, is unchanged.
    /// </summary>
    public static string Line(string text)
    {
        if (!NeedsEscaping(text)) return text;
        var builder = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
                continue;
            }
            if (!IsUnsafe(c))
            {
                builder.Append(c);
                continue;
            }
            builder.Append(c switch
            {
                '\n' => @"\n",
                '\r' => @"\r",
                '\t' => @"\t",
                < '\u0100' => @"\x" + ((int)c).ToString("x2", CultureInfo.InvariantCulture),
                _ => @"\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
            });
        }
        return builder.ToString();
    }

    /// <summary>
    /// A message of several lines (a header, then one <c>- problem</c> line each, as URI errors are) as one line:
    /// the lines joined by spaces, their list dashes dropped.
    /// </summary>
    public static string Sentences(string text) =>
        string.Join(" ", text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.StartsWith("- ", StringComparison.Ordinal) ? line[2..] : line));

    private static bool NeedsEscaping(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else if (IsUnsafe(c)) return true;
        }
        return false;
    }

    // Surrogates reach here only when lone (pairs are skipped by the callers).
    private static bool IsUnsafe(char c) => char.IsControl(c) || c is '\u2028' or '\u2029' || char.IsSurrogate(c);
}
