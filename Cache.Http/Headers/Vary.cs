using System.Text;
using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Http;

/// <summary>
/// The <c>Vary</c> response field (RFC 9110 §12.5.5) as pure functions over its text: patching in field
/// names, asking whether a name is listed, and reading the list the page cache keys are built from.
/// </summary>
/// <remarks>
/// Django's <c>patch_vary_headers</c> and <c>has_vary_header</c> (<c>django/utils/cache.py</c>). No function here
/// throws on any header text. Thread-safe: everything is pure.
/// </remarks>
public static class Vary
{
    /// <summary>The entries of a Vary value, split with Django's list splitter and kept verbatim (case, blanks at the ends of the whole value, empty pieces).</summary>
    /// <param name="vary">The field value; null when the field is absent.</param>
    /// <returns>No entries for an absent field and for an empty value; otherwise the pieces in order.</returns>
    /// <remarks>
    /// Django splits an empty value into one empty entry; here an empty value lists nothing (an empty list,
    /// RFC 9110 §5.6.1). That keeps <c>PatchVaryHeaders(PatchVaryHeaders(null, []), b)</c> equal to
    /// <c>PatchVaryHeaders(null, b)</c>, where Django gives <c>", b"</c>.
    /// </remarks>
    /// <example><c>Parse("Cookie ,Accept-Encoding")</c> is <c>["Cookie", "Accept-Encoding"]</c>.</example>
    public static Seq<string> Parse(string? vary) =>
        string.IsNullOrEmpty(vary) ? Seq<string>() : toSeq(HeaderText.SplitList(vary));

    /// <summary>
    /// The Vary value after adding <paramref name="newHeaders"/>: each new name is appended unless an existing entry
    /// equals it ignoring case; existing entries keep their order and spelling; a <c>*</c> entry makes the value <c>*</c>.
    /// </summary>
    /// <param name="existingVary">The current value; null when the response has no Vary field.</param>
    /// <param name="newHeaders">The field names to vary on, in order.</param>
    /// <returns>The entries joined with <c>", "</c>, or <c>*</c>. An absent field patched with nothing gives <c>""</c>, as in Django.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="newHeaders"/> or one of its items is null.</exception>
    /// <remarks>
    /// Django's <c>patch_vary_headers</c>: new names are compared with the existing entries only, not with each other
    /// (<c>["Cookie", "cookie"]</c> on an absent field gives <c>"Cookie, cookie"</c>); only an entry exactly <c>*</c> is
    /// a star (<c>" *"</c> is not). Case is compared with ordinal case folding rather than Python's <c>str.lower</c>,
    /// which differs only outside ASCII. One deliberate difference: an empty existing value has no entries
    /// (see <see cref="Parse"/>), so <c>""</c> patched with <c>Cookie</c> is <c>"Cookie"</c>, not Django's <c>", Cookie"</c>.
    /// </remarks>
    public static string PatchVaryHeaders(string? existingVary, IEnumerable<string> newHeaders)
    {
        Guard.NotNull(newHeaders, nameof(newHeaders));
        var existing = existingVary ?? "";
        var star = ListsStar(existing);
        StringBuilder? added = null;
        foreach (var header in newHeaders)
        {
            Guard.NotNull(header, nameof(newHeaders));
            if (Lists(existing, header)) continue;
            star |= header == "*";
            // Every added name is preceded by ", " except a first one on an empty value, which has no entries.
            var separated = added is not null || existing.Length > 0;
            added ??= new StringBuilder(64);
            if (separated) added.Append(", ");
            added.Append(header);
        }
        if (star) return "*";
        var joined = JoinedEntries(existing);
        return added is null ? joined : joined + added.ToString();
    }

    /// <summary>The response with its Vary field patched by <see cref="PatchVaryHeaders(string?, IEnumerable{string})"/>; the field is created when absent.</summary>
    /// <param name="response">The response to read; it is not changed.</param>
    /// <param name="newHeaders">The field names to vary on, in order.</param>
    /// <returns>A copy of <paramref name="response"/> with the new Vary value.</returns>
    /// <exception cref="ArgumentNullException">An argument or one of the names is null.</exception>
    public static ResponseHead PatchVaryHeaders(ResponseHead response, IEnumerable<string> newHeaders)
    {
        Guard.NotNull(response, nameof(response));
        var current = response.Headers.Get("Vary").MatchUnsafe(v => v, () => (string?)null);
        return response.WithHeader("Vary", PatchVaryHeaders(current, newHeaders));
    }

    /// <summary>True when the Vary value lists <paramref name="name"/>, ignoring case and the blanks around each entry and around the name.</summary>
    /// <param name="vary">The field value; null when the field is absent (then the answer is false).</param>
    /// <param name="name">The field name to look for.</param>
    /// <returns>Whether an entry matches. <c>*</c> is only found by asking for <c>*</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <remarks>
    /// Django's <c>has_vary_header</c> with the CVE-2026-48587 fix (6.0.6): blanks are stripped before comparing, so
    /// <c>" Cookie"</c> and <c>"* "</c> are found. Like Django, an empty value is one empty entry here, so asking an
    /// empty value for <c>""</c> is true.
    /// </remarks>
    public static bool HasVaryHeader(string? vary, string name)
    {
        Guard.NotNull(name, nameof(name));
        if (vary is null) return false;
        var wanted = StripBlanks(name);
        foreach (var entry in HeaderText.Pieces(vary))
            if (StripBlanks(entry).Equals(wanted, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    /// <summary>True when the response's Vary field lists <paramref name="name"/> (see <see cref="HasVaryHeader(string?, string)"/>).</summary>
    /// <param name="response">The response to read.</param>
    /// <param name="name">The field name to look for.</param>
    /// <returns>False when the response has no Vary field.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static bool HasVaryHeader(ResponseHead response, string name)
    {
        Guard.NotNull(response, nameof(response));
        return HasVaryHeader(response.Headers.Get("Vary").MatchUnsafe(v => v, () => (string?)null), name);
    }

    // Whether an entry of a non-empty value equals the name ignoring case; re-splitting the short existing value per
    // new name costs less than building a set of its entries for the one or two names a middleware adds.
    private static bool Lists(string existing, string header)
    {
        if (existing.Length == 0) return false;
        foreach (var entry in HeaderText.Pieces(existing))
            if (entry.Equals(header, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    // Only an entry exactly "*" is a star, as in Django.
    private static bool ListsStar(string existing)
    {
        if (existing.Length == 0) return false;
        foreach (var entry in HeaderText.Pieces(existing))
            if (entry is "*") return true;
        return false;
    }

    // The existing entries joined with ", ": the value itself when it is already written that way (the usual case).
    private static string JoinedEntries(string existing)
    {
        if (IsJoined(existing)) return existing;
        var builder = new StringBuilder(existing.Length);
        var first = true;
        foreach (var entry in HeaderText.Pieces(existing))
        {
            if (!first) builder.Append(", ");
            builder.Append(entry);
            first = false;
        }
        return builder.ToString();
    }

    // True when every comma is followed by exactly one space and has no other blank on either side, so that splitting
    // the value and joining its entries with ", " gives the value back.
    private static bool IsJoined(string value)
    {
        for (var i = value.IndexOf(','); i >= 0; i = value.IndexOf(',', i + 1))
        {
            if (i > 0 && char.IsWhiteSpace(value[i - 1])) return false;
            if (i + 1 >= value.Length || value[i + 1] != ' ') return false;
            if (i + 2 < value.Length && char.IsWhiteSpace(value[i + 2])) return false;
        }
        return true;
    }

    // Python's str.strip(): .NET's char.IsWhiteSpace plus the four information separators U+001C..U+001F.
    private static ReadOnlySpan<char> StripBlanks(ReadOnlySpan<char> text)
    {
        int start = 0, end = text.Length;
        while (start < end && IsBlank(text[start])) start++;
        while (end > start && IsBlank(text[end - 1])) end--;
        return text[start..end];
    }

    private static bool IsBlank(char c) => char.IsWhiteSpace(c) || (c >= '\u001C' && c <= '\u001F');
}
