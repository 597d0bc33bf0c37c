using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Http;

public sealed partial class CacheControl
{
    /// <summary>The directive named <paramref name="name"/> (any case), or None; for <c>no-cache</c>, its first entry.</summary>
    public Option<CacheDirective> Find(string name)
    {
        Guard.NotNull(name, nameof(name));
        var lower = name.ToLowerInvariant();
        foreach (var d in _directives)
            if (d.Name == lower) return Some(d);
        return None;
    }

    /// <summary>True when a directive named <paramref name="name"/> (any case) is present, bare or with a value.</summary>
    public bool Contains(string name) => Find(name).IsSome;

    /// <summary><c>public</c> is present (with or without a value).</summary>
    public bool Public => Has("public");

    /// <summary><c>private</c> is present (bare, or with field names as in <c>private="Set-Cookie"</c>).</summary>
    public bool Private => Has("private");

    /// <summary><c>no-cache</c> is present, bare or with field names.</summary>
    public bool NoCache => Has(DirectiveList.NoCache);

    /// <summary>
    /// The field names of a qualified <c>no-cache</c> (<c>no-cache=Set-Cookie</c>, <c>no-cache="Link"</c>), quotes
    /// removed, in order; empty when <c>no-cache</c> is absent or bare (a bare <c>no-cache</c> covers the whole response).
    /// </summary>
    public Seq<string> NoCacheFields =>
        _directives
            .Where(d => d.Name == DirectiveList.NoCache)
            .SelectMany(d => d.Value.Map(Unquote))
            .ToSeq()
            .Strict();

    /// <summary><c>no-store</c> is present.</summary>
    public bool NoStore => Has("no-store");

    /// <summary><c>no-transform</c> is present.</summary>
    public bool NoTransform => Has("no-transform");

    /// <summary><c>must-revalidate</c> is present.</summary>
    public bool MustRevalidate => Has("must-revalidate");

    /// <summary><c>proxy-revalidate</c> is present.</summary>
    public bool ProxyRevalidate => Has("proxy-revalidate");

    /// <summary>The <c>max-age</c> in seconds, or None when it is absent or not a number.</summary>
    /// <remarks>
    /// Read as Python's <c>int()</c> would (<c>" 60"</c>, <c>"+7"</c>, <c>"007"</c>, <c>"1_000"</c> are numbers;
    /// <c>"1.5"</c>, <c>"\"60\""</c>, <c>""</c> are not). A bare <c>max-age</c> reads as 1, as in Django
    /// (<c>int(True)</c>); a number beyond <see cref="long"/> saturates (RFC 9111 §1.2.2). Negative values are kept.
    /// </remarks>
    public Option<long> MaxAge => Seconds("max-age");

    /// <summary>The <c>s-maxage</c> in seconds, read like <see cref="MaxAge"/>.</summary>
    public Option<long> SharedMaxAge => Seconds("s-maxage");

    /// <summary>The <c>stale-while-revalidate</c> in seconds (RFC 5861 §3), read like <see cref="MaxAge"/>.</summary>
    public Option<long> StaleWhileRevalidate => Seconds("stale-while-revalidate");

    /// <summary>The <c>stale-if-error</c> in seconds (RFC 5861 §4), read like <see cref="MaxAge"/>.</summary>
    public Option<long> StaleIfError => Seconds("stale-if-error");

    private bool Has(string lowerName)
    {
        foreach (var d in _directives)
            if (d.Name == lowerName) return true;
        return false;
    }

    private Option<long> Seconds(string lowerName)
    {
        foreach (var d in _directives)
            if (d.Name == lowerName) return DeltaSeconds.Read(d.Value);
        return None;
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? value[1..^1] : value;
}
