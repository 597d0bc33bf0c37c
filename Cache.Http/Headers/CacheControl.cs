using LanguageExt;

namespace FunctionalCache.Http;

/// <summary>
/// A Cache-Control field value as an immutable list of directives: names lower-cased, each name once, in the order
/// names first appeared, unknown and extension directives kept as written; <c>no-cache</c> may appear once per field
/// name, or once bare (which then stands alone).
/// </summary>
/// <remarks>
/// RFC 9111 §5.2, read the way Django's <c>patch_cache_control</c> reads it (see <see cref="Parse"/>). Equality is
/// structural: the same directives with the same values in the same order. Immutable and thread-safe.
/// </remarks>
public sealed partial class CacheControl : IEquatable<CacheControl>
{
    private readonly CacheDirective[] _directives;

    private CacheControl(CacheDirective[] directives) => _directives = directives;

    /// <summary>No directives; formats as the empty string.</summary>
    public static CacheControl Empty { get; } = new([]);

    /// <summary>
    /// The directives given, combined as a parsed header would combine them: names lower-cased, a repeated name
    /// replaces the earlier value in place, <c>no-cache</c> collects field names and a bare <c>no-cache</c> absorbs them.
    /// </summary>
    /// <exception cref="ArgumentException">A name is not an HTTP token, or a value contains a comma, CR or LF or begins or ends with white space.</exception>
    public static CacheControl Of(params CacheDirective[] directives)
    {
        Guard.NotNull(directives, nameof(directives));
        var list = new DirectiveList(directives.Length);
        foreach (var directive in directives) list.Set(Checked(directive, nameof(directives)));
        return new CacheControl(list.ToArray());
    }

    /// <summary>The directives in order.</summary>
    public Seq<CacheDirective> Directives => _directives.ToSeq().Strict();

    /// <summary>The number of directives (each <c>no-cache</c> field name counts once).</summary>
    public int Count => _directives.Length;

    /// <summary>True when there are no directives.</summary>
    public bool IsEmpty => _directives.Length == 0;

    /// <summary>
    /// The field value: the directives joined with <c>", "</c>, each as <c>name</c> or <c>name=value</c>; the empty
    /// string when there are none.
    /// </summary>
    /// <remarks>Django's output format, so <c>Parse(x.Format())</c> equals <c>x</c> for any value built by <see cref="Of"/> or a patch.</remarks>
    public string Format()
    {
        if (_directives.Length == 0) return "";
        // Measured first, then written once: the value is formatted on every cached response.
        var length = 2 * (_directives.Length - 1);
        foreach (var d in _directives) length += d.FormattedLength;
        return string.Create(length, _directives, static (span, directives) =>
        {
            for (var i = 0; i < directives.Length; i++)
            {
                if (i > 0)
                {
                    ", ".CopyTo(span);
                    span = span[2..];
                }
                span = span[directives[i].WriteTo(span)..];
            }
        });
    }

    /// <summary>The field value, as <see cref="Format"/>.</summary>
    public override string ToString() => Format();

    /// <summary>The same directives with the same values in the same order.</summary>
    public bool Equals(CacheControl? other) =>
        other is not null && _directives.AsSpan().SequenceEqual(other._directives);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as CacheControl);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var d in _directives) hash.Add(d);
        return hash.ToHashCode();
    }

    /// <summary>Structural equality.</summary>
    public static bool operator ==(CacheControl? left, CacheControl? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Structural inequality.</summary>
    public static bool operator !=(CacheControl? left, CacheControl? right) => !(left == right);

    /// <summary>A directive a caller writes: a token name (lower-cased here) and a value that survives a format and parse.</summary>
    internal static CacheDirective Checked(CacheDirective directive, string parameter)
    {
        Guard.NotNull(directive, parameter);
        Guard.NotNull(directive.Name, parameter);
        Guard.That(directive.Name.Length > 0 && directive.Name.All(IsTokenChar), parameter,
            $"A Cache-Control directive name must be an HTTP token (letters, digits and !#$%&'*+-.^_`|~), not {MessageText.Quoted(directive.Name)}.");
        directive.Value.IfSome(value =>
        {
            Guard.NotNull(value, parameter);
            Guard.That(value.IndexOfAny([',', '\r', '\n']) < 0, parameter,
                $"A Cache-Control directive value must not contain a comma, CR or LF (the field is split at every comma): {MessageText.Quoted(value)}.");
            Guard.That(value.Length == 0 || (!char.IsWhiteSpace(value[0]) && !char.IsWhiteSpace(value[^1])), parameter,
                $"A Cache-Control directive value must not begin or end with white space: {MessageText.Quoted(value)}.");
        });
        var lower = directive.Name.ToLowerInvariant();
        return lower == directive.Name ? directive : directive with { Name = lower };
    }

    private static bool IsTokenChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9')
            or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';
}
