using System.Globalization;
using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Http;

/// <summary>HTTP dates (RFC 9110 §5.6.7): always written as IMF-fixdate, read in all three historic formats.</summary>
public static class HttpDate
{
    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <summary>The IMF-fixdate text of <paramref name="instant"/>, seconds truncated: <c>Tue, 14 Nov 2023 22:13:20 GMT</c>.</summary>
    public static string Format(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss 'GMT'", CultureInfo.InvariantCulture);

    /// <summary>
    /// The instant in an HTTP date: IMF-fixdate (RFC 1123), RFC 850 (<c>Sunday, 06-Nov-94 08:49:37 GMT</c>, the
    /// two-digit year read as the one within 50 years of <paramref name="now"/>) or asctime
    /// (<c>Sun Nov  6 08:49:37 1994</c>). None for anything else; never throws.
    /// </summary>
    /// <remarks>Django's <c>parse_http_date_safe</c>; <paramref name="now"/> only resolves RFC 850 years (RFC 9110 §5.6.7).</remarks>
    public static Option<DateTimeOffset> Parse(string? text, DateTimeOffset now)
    {
        if (text is null) return None;
        var t = text.Trim();
        return Imf(t) | Rfc850(t, now) | Asctime(t);
    }

    // "Sun, 06 Nov 1994 08:49:37 GMT"
    private static Option<DateTimeOffset> Imf(string t) =>
        t.Length == 29 && t[3] == ',' && t[4] == ' ' && t.EndsWith(" GMT", StringComparison.Ordinal)
            ? Build(Int(t, 12, 4), Month(t, 8), Int(t, 5, 2), Time(t, 17))
            : None;

    // "Sunday, 06-Nov-94 08:49:37 GMT"
    private static Option<DateTimeOffset> Rfc850(string t, DateTimeOffset now)
    {
        var comma = t.IndexOf(", ", StringComparison.Ordinal);
        if (comma < 6 || t.Length != comma + 24 || !t.EndsWith(" GMT", StringComparison.Ordinal)) return None;
        var d = t.Substring(comma + 2);
        if (d[2] != '-' || d[6] != '-' || d[9] != ' ') return None;
        return Int(d, 7, 2).Bind(yy =>
        {
            // RFC 9110: a two-digit year more than 50 years in the future is in the past century.
            var year = now.Year / 100 * 100 + yy;
            if (year > now.Year + 50) year -= 100;
            else if (year <= now.Year - 50) year += 100;
            return Build(Some(year), Month(d, 3), Int(d, 0, 2), Time(d, 10));
        });
    }

    // "Sun Nov  6 08:49:37 1994"
    private static Option<DateTimeOffset> Asctime(string t) =>
        t.Length == 24 && t[3] == ' ' && t[7] == ' ' && t[10] == ' ' && t[19] == ' '
            ? Build(Int(t, 20, 4), Month(t, 4), Int(t.Replace("  ", " 0"), 8, 2), Time(t, 11))
            : None;

    private static Option<DateTimeOffset> Build(Option<int> year, Option<int> month, Option<int> day, Option<TimeSpan> time) =>
        from y in year
        from m in month
        from d in day
        from tod in time
        where y >= 1 && y <= 9999 && d >= 1 && d <= DateTime.DaysInMonth(y, m)
        select new DateTimeOffset(y, m, d, 0, 0, 0, TimeSpan.Zero) + tod;

    private static Option<TimeSpan> Time(string t, int at) =>
        t.Length >= at + 8 && t[at + 2] == ':' && t[at + 5] == ':'
            ? from h in Int(t, at, 2)
              from mi in Int(t, at + 3, 2)
              from s in Int(t, at + 6, 2)
              where h < 24 && mi < 60 && s < 60
              select new TimeSpan(h, mi, s)
            : None;

    private static Option<int> Month(string t, int at)
    {
        if (t.Length < at + 3) return None;
        var index = System.Array.IndexOf(Months, t.Substring(at, 3));
        return index < 0 ? None : Some(index + 1);
    }

    private static Option<int> Int(string t, int at, int length)
    {
        if (t.Length < at + length) return None;
        var value = 0;
        for (var i = at; i < at + length; i++)
        {
            if (t[i] < '0' || t[i] > '9') return None;
            value = value * 10 + (t[i] - '0');
        }
        return value;
    }
}
