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
        var pieces = HeaderText.SplitList(text);
        var list = new DirectiveList(pieces.Length);
        foreach (var piece in pieces)
        {
            var eq = piece.IndexOf('=');
            list.Set(eq < 0
                ? new CacheDirective(piece.ToLowerInvariant(), None)
                : new CacheDirective(piece[..eq].ToLowerInvariant(), Some(piece[(eq + 1)..])));
        }
        return new CacheControl(list.ToArray());
    }
}
