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
    /// (<c>max-age= 60</c> patched with 100 gives <c>max-age=60</c>); a numeric patch max-age is always written as a
    /// plain decimal, so applying a patch twice changes nothing more. On a tie the patch's form is kept (only visible
    /// for a bare <c>max-age</c>, which reads as 1).</item>
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
            list.Set(s.Name == "max-age" ? Smaller(existingMaxAge, s) : s);
        return new CacheControl(list.ToArray());
    }

    // The patch's max-age, written as a plain decimal when it is a number, unless the existing one is a smaller number.
    // Writing numbers in one form is what makes a patch idempotent ("007" and "7" would otherwise alternate).
    private static CacheDirective Smaller(CacheDirective? existing, CacheDirective patched)
    {
        long seconds;
        if (patched.IsFlag)
        {
            if (existing is null) return patched;
            seconds = DeltaSeconds.Flag;
        }
        else
        {
            var read = DeltaSeconds.Read(patched.ValueOrNull!);
            if (read.IsNone) return patched;
            seconds = (long)read;
            patched = WithDecimal(patched, seconds);
        }
        if (existing is null) return patched;
        var old = DeltaSeconds.Read(existing.Value);
        return old.IsSome && (long)old < seconds ? WithDecimal(patched, (long)old) : patched;
    }

    // The directive with its value written as a plain decimal; the same directive when it already is (the usual case).
    private static CacheDirective WithDecimal(CacheDirective directive, long seconds)
    {
        Span<char> digits = stackalloc char[20];
        seconds.TryFormat(digits, out var written, provider: CultureInfo.InvariantCulture);
        return directive.ValueOrNull.AsSpan().SequenceEqual(digits[..written])
            ? directive
            : directive with { Value = Some(digits[..written].ToString()) };
    }
}
