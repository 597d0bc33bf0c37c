using static LanguageExt.Prelude;

namespace FunctionalCache.Http;

public sealed partial class CacheControl
{
    /// <summary>
    /// The directives in a Cache-Control field value. Never throws: null (field absent) and the empty string give
    /// <see cref="Empty"/>, and any other text gives some list of directives.
    /// </summary>
    /// <remarks>
    /// Django's reading in <c>patch_cache_control</c>: the value is split with <see cref="HeaderText.SplitList"/>
    /// (blanks around commas dropped, blanks at the very start or end and empty pieces kept); each piece is cut at its
    /// first <c>=</c>; the name is lower-cased and the value kept verbatim, quotes included; a piece without <c>=</c>
    /// is bare. A repeated name keeps its first position and takes the later value, except <c>no-cache</c>, which
    /// collects every distinct field name unless it also appears bare. So <c>" public"</c> (leading blank) is an
    /// unknown directive, not <c>public</c>, exactly as in Django.
    /// </remarks>
    public static CacheControl Parse(string? text)
    {
        if (string.IsNullOrEmpty(text)) return Empty;
        var list = new DirectiveList();
        foreach (var piece in HeaderText.Pieces(text))
        {
            var eq = piece.IndexOf('=');
            list.Set(eq < 0
                ? new CacheDirective(LowerName(piece), None)
                : new CacheDirective(LowerName(piece[..eq]), Some(piece[(eq + 1)..].ToString())));
        }
        return new CacheControl(list.ToArray());
    }

    // The directive names a cache meets on nearly every response, so parsing them allocates nothing.
    private static readonly string[] KnownNames =
    [
        "public", "private", DirectiveList.NoCache, "no-store", "no-transform", "must-revalidate", "proxy-revalidate",
        "max-age", "s-maxage", "stale-while-revalidate", "stale-if-error", "immutable",
    ];

    // The name lower-cased exactly as string.ToLowerInvariant would, reusing a known name's string when it is one.
    private static string LowerName(ReadOnlySpan<char> name)
    {
        if (name.Length > 32) return name.ToString().ToLowerInvariant();
        Span<char> lower = stackalloc char[name.Length];
        name.ToLowerInvariant(lower);
        foreach (var known in KnownNames)
            if (lower.SequenceEqual(known)) return known;
        return new string(lower);
    }
}
