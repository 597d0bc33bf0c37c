using System.Globalization;
using LanguageExt;

namespace FunctionalCache.Http;

/// <summary>
/// The directives to set on a Cache-Control field, in the order they were given: what Django passes to
/// <c>patch_cache_control</c> as keyword arguments. Built fluently from <see cref="Empty"/>:
/// <c>CacheControlPatch.Empty.Public().MaxAge(600)</c>.
/// </summary>
/// <remarks>
/// Setting a name twice keeps its first position and the later value (as a repeated keyword would); <c>NoCache</c>
/// calls collect field names, and a bare <see cref="NoCache()"/> absorbs them. Names are lower-cased, so unlike a
/// Django keyword (<c>Max_Age</c> gives a separate <c>Max-Age</c> directive) every spelling names the same directive.
/// There is no way to write Django's <c>public=False</c> or <c>no_store=None</c>: a directive is set, bare or with a
/// text value, or not mentioned. Applied with <see cref="CacheControl.Patch"/> or <see cref="CacheHeaders.PatchCacheControl(string?, CacheControlPatch)"/>.
/// Immutable and thread-safe.
/// </remarks>
public sealed class CacheControlPatch : IEquatable<CacheControlPatch>
{
    private CacheControlPatch(CacheDirective[] settings) => Settings = settings;

    /// <summary>A patch that sets nothing.</summary>
    public static CacheControlPatch Empty { get; } = new([]);

    /// <summary>A patch setting the given directives in order.</summary>
    /// <exception cref="ArgumentException">A name is not an HTTP token, or a value contains a comma, CR or LF or begins or ends with white space.</exception>
    public static CacheControlPatch Of(params CacheDirective[] directives)
    {
        Guard.NotNull(directives, nameof(directives));
        return directives.Aggregate(Empty, (patch, d) => patch.With(d, nameof(directives)));
    }

    internal CacheDirective[] Settings { get; }

    /// <summary>The directives this patch sets, in order.</summary>
    public Seq<CacheDirective> Directives => Settings.ToSeq().Strict();

    /// <summary>Sets <c>public</c> (and so removes an existing <c>private</c>).</summary>
    public CacheControlPatch Public() => Flag("public");

    /// <summary>Sets <c>private</c> (and so removes an existing <c>public</c>).</summary>
    public CacheControlPatch Private() => Flag("private");

    /// <summary>Sets a bare <c>no-cache</c>, which absorbs any field names.</summary>
    public CacheControlPatch NoCache() => Flag("no-cache");

    /// <summary>Adds <c>no-cache=<paramref name="field"/></c> to the no-cache field names.</summary>
    /// <exception cref="ArgumentException">The field contains a comma, CR or LF or begins or ends with white space.</exception>
    public CacheControlPatch NoCache(string field) => Directive("no-cache", field);

    /// <summary>Sets <c>no-store</c>.</summary>
    public CacheControlPatch NoStore() => Flag("no-store");

    /// <summary>Sets <c>no-transform</c>.</summary>
    public CacheControlPatch NoTransform() => Flag("no-transform");

    /// <summary>Sets <c>must-revalidate</c>.</summary>
    public CacheControlPatch MustRevalidate() => Flag("must-revalidate");

    /// <summary>Sets <c>proxy-revalidate</c>.</summary>
    public CacheControlPatch ProxyRevalidate() => Flag("proxy-revalidate");

    /// <summary>Sets <c>max-age</c>; an existing numeric max-age that is smaller wins when the patch is applied.</summary>
    /// <param name="seconds">Seconds, written as given (Django allows negative values, and so do we).</param>
    public CacheControlPatch MaxAge(long seconds) => Seconds("max-age", seconds);

    /// <summary>Sets <c>max-age</c> to the whole seconds of <paramref name="age"/> (a fraction is truncated).</summary>
    public CacheControlPatch MaxAge(TimeSpan age) => MaxAge(WholeSeconds(age));

    /// <summary>Sets <c>s-maxage</c>.</summary>
    public CacheControlPatch SharedMaxAge(long seconds) => Seconds("s-maxage", seconds);

    /// <summary>Sets <c>s-maxage</c> to the whole seconds of <paramref name="age"/>.</summary>
    public CacheControlPatch SharedMaxAge(TimeSpan age) => SharedMaxAge(WholeSeconds(age));

    /// <summary>Sets <c>stale-while-revalidate</c> (RFC 5861 §3).</summary>
    public CacheControlPatch StaleWhileRevalidate(long seconds) => Seconds("stale-while-revalidate", seconds);

    /// <summary>Sets <c>stale-while-revalidate</c> to the whole seconds of <paramref name="window"/>.</summary>
    public CacheControlPatch StaleWhileRevalidate(TimeSpan window) => StaleWhileRevalidate(WholeSeconds(window));

    /// <summary>Sets <c>stale-if-error</c> (RFC 5861 §4).</summary>
    public CacheControlPatch StaleIfError(long seconds) => Seconds("stale-if-error", seconds);

    /// <summary>Sets <c>stale-if-error</c> to the whole seconds of <paramref name="window"/>.</summary>
    public CacheControlPatch StaleIfError(TimeSpan window) => StaleIfError(WholeSeconds(window));

    /// <summary>Sets any directive bare (<c>immutable</c>, an extension).</summary>
    /// <exception cref="ArgumentException">The name is not an HTTP token.</exception>
    public CacheControlPatch Flag(string name) => With(CacheDirective.Flag(name), nameof(name));

    /// <summary>Sets any directive to a text value, written verbatim (<c>community="UCI"</c>, <c>private=Set-Cookie</c>).</summary>
    /// <exception cref="ArgumentException">The name is not an HTTP token, or the value contains a comma, CR or LF or begins or ends with white space.</exception>
    public CacheControlPatch Directive(string name, string value) => With(CacheDirective.WithValue(name, value), nameof(value));

    /// <summary>The same directives in the same order.</summary>
    public bool Equals(CacheControlPatch? other) => other is not null && Settings.AsSpan().SequenceEqual(other.Settings);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as CacheControlPatch);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var d in Settings) hash.Add(d);
        return hash.ToHashCode();
    }

    /// <summary>The directives as a Cache-Control value would show them: <c>public, max-age=600</c>.</summary>
    public override string ToString() => string.Join(", ", Settings.Select(d => d.Format()));

    private CacheControlPatch Seconds(string name, long seconds) =>
        With(CacheDirective.WithValue(name, seconds.ToString(CultureInfo.InvariantCulture)), nameof(seconds));

    private CacheControlPatch With(CacheDirective directive, string parameter)
    {
        var list = new DirectiveList(Settings);
        list.Set(CacheControl.Checked(directive, parameter));
        return new CacheControlPatch(list.ToArray());
    }

    private static long WholeSeconds(TimeSpan span) => span.Ticks / TimeSpan.TicksPerSecond;
}
