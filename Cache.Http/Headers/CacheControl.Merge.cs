using System.Globalization;
using static LanguageExt.Prelude;

namespace FunctionalCache.Http;

public sealed partial class CacheControl
{
    /// <summary>These directives with <paramref name="patch"/> applied: Django's <c>patch_cache_control</c> as a value.</summary>
    /// <remarks>
    /// <list type="number">
    /// <item>Smallest max-age wins: when both this value and the patch have a <c>max-age</c> that reads as a number
    /// (see <see cref="MaxAge"/>), the patch's becomes the smaller of the two, written as a plain decimal
    /// (<c>max-age= 60</c> patched with 100 gives <c>max-age=60</c>).</item>
    /// <item>Deliberate difference from Django, which raises ValueError here: when this value's <c>max-age</c> is not a
    /// number (<c>max-age=abc</c>, <c>max-age=1.5</c>, <c>max-age=</c>), the patch's <c>max-age</c> replaces it in place.
    /// Likewise a patch <c>max-age</c> that is not a number (only possible through
    /// <see cref="CacheControlPatch.Directive"/>) replaces the existing one instead of failing.</item>
    /// <item><c>public</c> and <c>private</c> replace each other: a patch setting <c>public</c> removes an existing
    /// <c>private</c>; otherwise a patch setting <c>private</c> removes an existing <c>public</c>. A patch that sets both
    /// keeps both, as in Django.</item>
    /// <item>The patch's directives are applied in its order: an existing name takes the new value in place, a new
    /// name is appended, <c>no-cache</c> adds its field name (a bare <c>no-cache</c> absorbs the field names).
    /// Unknown directives on either side are kept.</item>
    /// </list>
    /// </remarks>
    public CacheControl Patch(CacheControlPatch patch)
    {
        Guard.NotNull(patch, nameof(patch));
        var settings = patch.Settings;
        if (settings.Length == 0) return this;

        var list = new DirectiveList(_directives);
        var existingMaxAge = list.Find("max-age");
        var patchPublic = false;
        var patchPrivate = false;
        foreach (var s in settings)
        {
            patchPublic |= s.Name == "public";
            patchPrivate |= s.Name == "private";
        }

        if (list.Contains("private") && patchPublic) list.Remove("private");
        else if (list.Contains("public") && patchPrivate) list.Remove("public");

        foreach (var s in settings)
            list.Set(s.Name == "max-age" && existingMaxAge is not null ? Smaller(existingMaxAge, s) : s);
        return new CacheControl(list.ToArray());
    }

    private static CacheDirective Smaller(CacheDirective existing, CacheDirective patched) =>
        (from old in DeltaSeconds.Read(existing.Value)
         from @new in DeltaSeconds.Read(patched.Value)
         select patched with { Value = Some(Math.Min(old, @new).ToString(CultureInfo.InvariantCulture)) })
        .IfNone(patched);
}
