using System.Globalization;
using System.Text.RegularExpressions;
using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Http;

/// <summary>HTTP dates (RFC 9110 §5.6.7): always written as IMF-fixdate, read in all three historic formats.</summary>
public static partial class HttpDate
{
    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <summary>The IMF-fixdate text of <paramref name="instant"/>, seconds truncated: <c>Tue, 14 Nov 2023 22:13:20 GMT</c>.</summary>
    public static string Format(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss 'GMT'", CultureInfo.InvariantCulture);

    /// <summary>
    /// The instant in an HTTP date: IMF-fixdate (RFC 1123, <c>Sun, 06 Nov 1994 08:49:37 GMT</c>), RFC 850
    /// (<c>Sunday, 06-Nov-94 08:49:37 GMT</c>, the two-digit year read as the one within 50 years of
    /// <paramref name="now"/>) or asctime (<c>Sun Nov  6 08:49:37 1994</c>). Blanks around the text are ignored.
    /// None for anything else, including impossible dates (31 Feb, 24:00:00, leap seconds); never throws.
    /// </summary>
    /// <remarks>
    /// Django's <c>parse_http_date_safe</c>, with its patterns: the day name is not checked beyond its length and
    /// month names are read in any case. <paramref name="now"/> only resolves RFC 850 years (RFC 9110 §5.6.7).
    /// </remarks>
    public static Option<DateTimeOffset> Parse(string? text, DateTimeOffset now)
    {
        if (text is null) return None;
        var t = text.Trim();
        var m = Rfc1123().Match(t);
        if (!m.Success) m = Rfc850().Match(t);
        if (!m.Success) m = Asctime().Match(t);
        if (!m.Success) return None;
        var year = int.Parse(m.Groups["year"].Value, CultureInfo.InvariantCulture);
        if (m.Groups["year"].Length == 2)
        {
            // RFC 9110: a two-digit year more than 50 years in the future is in the past century.
            year += now.Year / 100 * 100;
            if (year > now.Year + 50) year -= 100;
            else if (year <= now.Year - 50) year += 100;
        }
        var month = System.Array.FindIndex(Months, name => string.Equals(name, m.Groups["mon"].Value, StringComparison.OrdinalIgnoreCase)) + 1;
        var day = int.Parse(m.Groups["day"].Value.TrimStart(' '), CultureInfo.InvariantCulture);
        var hour = int.Parse(m.Groups["hour"].Value, CultureInfo.InvariantCulture);
        var minute = int.Parse(m.Groups["min"].Value, CultureInfo.InvariantCulture);
        var second = int.Parse(m.Groups["sec"].Value, CultureInfo.InvariantCulture);
        return month >= 1 && year is >= 1 and <= 9999 && day >= 1 && day <= DateTime.DaysInMonth(year, month) &&
               hour < 24 && minute < 60 && second < 60
            ? Some(new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero))
            : None;
    }

    // Django's RFC1123_DATE, RFC850_DATE and ASCTIME_DATE patterns.
    [GeneratedRegex(@"^\w{3}, (?<day>[0-9]{2}) (?<mon>\w{3}) (?<year>[0-9]{4}) (?<hour>[0-9]{2}):(?<min>[0-9]{2}):(?<sec>[0-9]{2}) GMT$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc1123();

    [GeneratedRegex(@"^\w{6,9}, (?<day>[0-9]{2})-(?<mon>\w{3})-(?<year>[0-9]{2}) (?<hour>[0-9]{2}):(?<min>[0-9]{2}):(?<sec>[0-9]{2}) GMT$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc850();

    [GeneratedRegex(@"^\w{3} (?<mon>\w{3}) (?<day>[ 0-9][0-9]) (?<hour>[0-9]{2}):(?<min>[0-9]{2}):(?<sec>[0-9]{2}) (?<year>[0-9]{4})$", RegexOptions.CultureInvariant)]
    private static partial Regex Asctime();
}
